#!/usr/bin/env python3
"""Validates plan JSON files against the plan JSON Schema: check-plan-files.py SCHEMA FILE..."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
failed = False
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
    for error in errors[:20]:
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    failed |= bool(errors)
    print(f"{path}: {'INVALID' if errors else 'valid'}")
sys.exit(1 if failed else 0)
