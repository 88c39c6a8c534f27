#!/usr/bin/env python3
"""Checks Pantau's open data as a reuser's tools read it.

    scripts/check-open-data.py http://127.0.0.1:8080/data/datapackage.json http://127.0.0.1:8080/data/catalog.jsonld

- Validates the Data Package with the `frictionless` package: the descriptor, then every file against its Table
  Schema (types, formats, codes, primary keys, and foreign keys across files).
- Reads the DCAT catalogue as RDF (JSON-LD, with `rdflib`) and checks that it describes the same files, each with a
  licence and a date of last change.

Prints a summary as JSON; exits 1 with the problems when anything is wrong. OpenDataTests runs it against a live
server; anyone can run it against an installation.
"""

import json
import sys

import frictionless
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF


def main(package_url: str, catalogue_url: str) -> int:
    problems: list[str] = []
    report = frictionless.validate(package_url)
    if not report.valid:
        for task in report.tasks:
            for error in task.errors:
                problems.append(f"{task.name}: {error.message}")
        for error in report.errors:
            problems.append(f"package: {error.message}")

    package = frictionless.Package(package_url)
    rows = {}
    for resource in package.resources:
        if not resource.licenses:
            problems.append(f"{resource.name}: no licence")
        for field in resource.schema.fields:
            if not field.description:
                problems.append(f"{resource.name}.{field.name}: no description")
        rows[resource.name] = len(resource.read_rows())
    if not package.licenses:
        problems.append("package: no licence")

    graph = rdflib.Graph()
    graph.parse(catalogue_url, format="json-ld")
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    if len(catalogues) != 1:
        problems.append(f"catalogue: {len(catalogues)} dcat:Catalog")
    if len(datasets) != len(package.resources):
        problems.append(f"catalogue: {len(datasets)} datasets for {len(package.resources)} files")
    downloads = set()
    for dataset in datasets:
        if graph.value(dataset, DCTERMS.license) is None or graph.value(dataset, DCTERMS.modified) is None:
            problems.append(f"catalogue: {dataset} has no licence or date of last change")
        for distribution in graph.objects(dataset, DCAT.distribution):
            downloads.add(str(graph.value(distribution, DCAT.downloadURL)))
            if graph.value(distribution, DCTERMS.license) is None:
                problems.append(f"catalogue: a distribution of {dataset} has no licence")
    missing = {resource.path for resource in package.resources} - downloads
    if missing:
        problems.append(f"catalogue: files of the package it does not list: {sorted(missing)}")

    print(json.dumps({"valid": not problems, "rows": rows, "datasets": len(datasets), "problems": problems}, ensure_ascii=False))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
