#!/usr/bin/env python3
"""Writes schema-cloud-config-v1.json for GuestLab: cloud-init 22.4.2's
/usr/lib/python3/dist-packages/cloudinit/config/schemas/schema-cloud-config-v1.json with the
keywords that do not take part in validation removed ("description" except beside
"deprecated": true, whose message quotes it; "default", "examples", "label", "hidden",
"$schema"). Key order is kept: jsonschema reports errors in it.

Usage: python3 trim.py SOURCE.json > schema-cloud-config-v1.json
"""
import json
import sys

DROP = {"default", "examples", "label", "hidden", "$schema"}
NAMED = {"properties", "patternProperties", "$defs", "dependencies"}


def trim(schema):
    if isinstance(schema, list):
        return [trim(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in DROP or (key == "description" and not schema.get("deprecated")):
            continue
        if key in NAMED and isinstance(value, dict):
            out[key] = {name: trim(sub) for name, sub in value.items()}
        elif key == "enum":
            out[key] = value
        else:
            out[key] = trim(value)
    return out


# Compact (no indentation): the file is compiled into the web app's .wasm, where the
# indentation alone took 24 KB.
json.dump(trim(json.load(open(sys.argv[1]))), sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
