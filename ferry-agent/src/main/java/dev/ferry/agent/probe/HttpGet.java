package dev.ferry.agent.probe;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP GET as the kubelet sends it for httpGet probes and lifecycle hooks (pkg/probe/http): no proxy, redirects
 * not followed, HTTPS not verified, at most 10 KiB of the body read. Blocking, bounded by the timeout (connect and
 * read each); a virtual thread blocked in it is interruptible.
 */
public final class HttpGet {
    private static final int MAX_BODY = 10 * 1024;

    private HttpGet() {
    }

    /**
     * What came back: the status code, or {@code error} (non-null, Go-style message naming the URL) when no response
     * did.
     */
    public record Response(int code, String error) {
    }

    /**
     * @param scheme    "http" (null or empty) or "https"
     * @param path      "/" when null or empty; a missing leading slash is added
     * @param userAgent the User-Agent, unless {@code headers} set one
     */
    public static Response get(String scheme, String host, int port, String path, List<HTTPHeader> headers,
            Duration timeout, String userAgent) {
        String s = scheme == null || scheme.isEmpty() ? "http" : scheme.toLowerCase(Locale.ROOT);
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        String url = s + "://" + hostPort(host, port) + p;
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) URI.create(url).toURL().openConnection(java.net.Proxy.NO_PROXY);
            if (conn instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(insecure().getSocketFactory());
                https.setHostnameVerifier((h, sess) -> true);
            }
            int ms = (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
            conn.setConnectTimeout(ms);
            conn.setReadTimeout(ms);
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setRequestProperty("User-Agent", userAgent);
            conn.setRequestProperty("Accept", "*/*");
            if (headers != null) {
                for (HTTPHeader h : headers) {
                    conn.setRequestProperty(h.getName(), h.getValue());
                }
            }
            int code = conn.getResponseCode();
            drain(code >= 400 ? conn.getErrorStream() : conn.getInputStream());
            return new Response(code, null);
        } catch (java.net.SocketTimeoutException e) {
            return new Response(0, "Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while "
                    + "awaiting headers)");
        } catch (java.net.ConnectException e) {
            return new Response(0, "Get \"" + url + "\": dial tcp " + hostPort(host, port)
                    + ": connect: connection refused");
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            return new Response(0, "Get \"" + url + "\": " + e.getMessage());
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void drain(InputStream in) throws IOException {
        if (in == null) {
            return;
        }
        try (in) {
            in.readNBytes(MAX_BODY);
        }
    }

    private static SSLContext insecure() throws java.security.GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }
}
