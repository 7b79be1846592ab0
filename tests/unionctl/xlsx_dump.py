"""Prints an .xlsx workbook as JSON for the unionctl report test: the
sheet names in order, the chart parts with their chart type, and every
cell with its value, whether it is a number or a string, and its number
format. Only the standard library: the workbook is read as the zip of XML
parts it is.

    python3 xlsx_dump.py out.xlsx
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


def main(path):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(
                "{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode")
               for f in styles.findall("m:numFmts/m:numFmt", NS)}
    builtin = {0: "General", 10: "0.00%"}
    xf_formats = []
    for xf in styles.findall("m:cellXfs/m:xf", NS):
        fid = int(xf.get("numFmtId", "0"))
        xf_formats.append(formats.get(fid, builtin.get(fid, str(fid))))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    workbook = ET.fromstring(z.read("xl/workbook.xml"))
    out = {"sheets": [], "cells": {}, "charts": {}}
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        name = sheet.get("name")
        target = targets[sheet.get("{%s}id" % NS["r"])]
        out["sheets"].append(name)
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace(
            "xl/", "")))
        cells = {}
        for c in root.iter("{%s}c" % NS["m"]):
            v = c.find("m:v", NS)
            kind = c.get("t", "n")
            value = v.text if v is not None else ""
            if kind == "s":
                value = shared[int(value)]
            cells[c.get("r")] = {
                "v": value,
                "t": "s" if kind in ("s", "str", "inlineStr") else "n",
                "fmt": xf_formats[int(c.get("s", "0"))],
            }
        out["cells"][name] = cells
    for part in names:
        if re.match(r"xl/charts/chart\d+\.xml$", part):
            root = ET.fromstring(z.read(part))
            plot = root.find("c:chart/c:plotArea", NS)
            kinds = [child.tag.split("}")[1] for child in plot
                     if child.tag.endswith("Chart")]
            out["charts"][part] = kinds
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
