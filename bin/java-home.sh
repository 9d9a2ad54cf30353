# Sourced by ./ferry, ./mvnw and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order (DESIGN.md): $JAVA_HOME if >= 21, else Temurin 25, else any JDK >= 21 under /usr/lib/jvm.
ferry_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
ferry_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(ferry_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(ferry_java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  done
  echo "ferry: no JDK 21 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  return 1
}
ferry_pick_jdk || exit 1
PATH="$JAVA_HOME/bin:$PATH"
export PATH
