#!/usr/bin/env python3
"""Generates ferry-apiserver's OpenAPI v3 component schemas for the Service type (and what it references).

Inputs (not kept in this repository):
  1. an upstream OpenAPI v3 document for /api/v1, e.g. kubernetes/kubectl testdata/openapi/v3/api/v1.json
     (Kubernetes v1.27, generated from the Go types' doc comments);
  2. kubernetes/api core/v1/types_swagger_doc_generated.go, to add the Service fields newer than that document
     (spec.trafficDistribution, status.loadBalancer.ingress[].ipMode) with their current descriptions.

Usage: gen-openapi-schemas.py V1_JSON SWAGGER_DOC_GO > src/main/resources/dev/ferry/apiserver/discovery/openapi-v3-api-v1-schemas.json
"""
import json
import re
import sys

ROOT = "io.k8s.api.core.v1.Service"
ADDED = {  # schema -> fields missing from the v1.27 document; all are plain strings upstream
    "io.k8s.api.core.v1.ServiceSpec": ["trafficDistribution"],
    "io.k8s.api.core.v1.LoadBalancerIngress": ["ipMode"],
}


def doc_map(src, name):
    m = re.search(r"var map_" + name + r" = map\[string\]string\{\n(.*?)\n\}\n", src, re.S)
    out = {}
    for line in m.group(1).split("\n"):
        mm = re.match(r'\s*"([^"]*)":\s*(".*"),\s*$', line)
        if mm:
            out[mm.group(1)] = json.loads(mm.group(2))
    return out


def refs(node, acc):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                acc.add(v.split("/")[-1])
            else:
                refs(v, acc)
    elif isinstance(node, list):
        for v in node:
            refs(v, acc)


def main():
    doc = json.load(open(sys.argv[1]))
    swagger = open(sys.argv[2]).read()
    schemas = doc["components"]["schemas"]
    seen, todo = set(), [ROOT]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        found = set()
        refs(schemas[name], found)
        todo.extend(found - seen)
    out = {name: schemas[name] for name in sorted(seen)}
    for name, fields in ADDED.items():
        docs = doc_map(swagger, name.rsplit(".", 1)[1])
        for field in fields:
            out[name]["properties"].setdefault(field, {"description": docs[field], "type": "string"})
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
