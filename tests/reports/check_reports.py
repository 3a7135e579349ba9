#!/usr/bin/env python3
"""Parses the reports write_samples wrote with real parsers and checks that
what comes back is what was put in (see write_samples.cpp for the files).

    check_reports.py json   DIR          Python's json module
    check_reports.py junit  DIR          Python's xml.etree.ElementTree (expat)
    check_reports.py schema DIR XSD      xmllint --schema on every .xml file

The expected text of a string is computed here independently of the C++
code: bytes.decode("utf-8", "replace") (U+FFFD per maximal subpart), and for
XML also U+FFFD for each character XML 1.0 cannot carry.
"""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

SAMPLE_FAILED_SEED = 18446744073709551615
SAMPLE_MESSAGE = "QoS 1 \"m2\" arrived before <m1> & after 'm0'\tat\\b\n"
STATUSES = ["passed", "failed", "error", "skipped"]

failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)


def read_strings(path):
    data = open(path, "rb").read()
    strings, at = [], 0
    while at < len(data):
        (size,) = struct.unpack_from("<I", data, at)
        strings.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return strings


def text(raw):
    return raw.decode("utf-8", "replace")


def xml_char_ok(c):
    o = ord(c)
    if o < 0x20:
        return c in "\t\n\r"
    return o not in (0xFFFE, 0xFFFF)


def xml_text(raw):
    return "".join(c if xml_char_ok(c) else "\ufffd" for c in text(raw))


def junit_classname(file):
    parts = [p.replace(".", "_") for p in file.split("/")[:-1] if p not in ("", ".")]
    return ".".join(parts) or "mqttsim"


def fuzz_inputs(folder):
    """(stem, tool, [scenario fields]) for every fuzz report."""
    names = ["seed", "simulated_us", "file", "name", "trace_hash", "reproducer", "error",
             "skip_reason", "check", "spec", "message", "location"]
    for path in sorted(glob.glob(os.path.join(folder, "fuzz-*.strings"))):
        strings = read_strings(path)
        tool, rest = strings[0], strings[1:]
        expect(len(rest) == 4 * len(names), f"{path}: {len(strings)} strings")
        scenarios = [dict(zip(names, rest[i : i + len(names)])) for i in range(0, len(rest), len(names))]
        yield path[: -len(".strings")], tool, scenarios


def seconds_text(us):
    whole, fraction = divmod(us, 1_000_000)
    return f"{whole}.{fraction:06d}".rstrip("0").rstrip(".") if fraction else f"{whole}.0"


# --- JSON ---------------------------------------------------------------------

def load_json(path):
    raw = open(path, "rb").read()
    document = raw.decode("utf-8")  # strict: the file must be valid UTF-8

    def no_constants(name):
        raise ValueError(f"{path}: {name} is not JSON")

    parsed = json.loads(document, parse_constant=no_constants)
    # The layout is exactly Python's own pretty-printing of the same value.
    expect(json.dumps(parsed, indent=2, ensure_ascii=False) + "\n" == document,
           f"{path}: layout differs from json.dumps(indent=2)")
    return parsed


def check_json(folder):
    sample = load_json(os.path.join(folder, "sample.json"))
    expect(sample["summary"] == {"passed": 1, "failed": 1, "errors": 1, "skipped": 1, "total": 4},
           f"sample.json summary {sample['summary']}")
    expect([s["status"] for s in sample["scenarios"]] == STATUSES, "sample.json statuses")
    failed = sample["scenarios"][1]
    expect(failed["seed"] == SAMPLE_FAILED_SEED, f"sample.json seed {failed['seed']}")
    expect(failed["violations"][0]["message"] == SAMPLE_MESSAGE, "sample.json message")
    expect(failed["violations"][0]["spec"] == ["MQTT-4.6.0-2 (3.1.1)", "MQTT-4.6.0-3 (3.1.1)"],
           "sample.json spec ids")
    expect(sample["scenarios"][0]["simulated_time_s"] == 3600.25, "sample.json simulated time")

    checked = 0
    for stem, tool, inputs in fuzz_inputs(folder):
        report = load_json(stem + ".json")
        expect(report["tool"] == text(tool), f"{stem}.json tool")
        expect(report["summary"] == {"passed": 1, "failed": 1, "errors": 1, "skipped": 1, "total": 4},
               f"{stem}.json summary")
        for scenario, given, status in zip(report["scenarios"], inputs, STATUSES):
            where = f"{stem}.json {status}"
            expect(scenario["status"] == status, f"{where}: status")
            expect(scenario["seed"] == int(given["seed"]), f"{where}: seed")
            expect(scenario["simulated_time_s"] == float(seconds_text(int(given["simulated_us"]))),
                   f"{where}: simulated_time_s")
            for key in ["file", "name", "trace_hash", "reproducer", "error", "skip_reason"]:
                expect(scenario[key] == text(given[key]), f"{where}: {key}")
            violation = scenario["violations"][0]
            expect(violation["check"] == text(given["check"]), f"{where}: check")
            expect(violation["spec"] == [text(given["spec"])], f"{where}: spec")
            expect(violation["message"] == text(given["message"]), f"{where}: message")
            expect(violation["location"] == text(given["location"]), f"{where}: location")
        checked += 1
    expect(checked > 0, "no fuzz reports found")
    return checked


# --- JUnit --------------------------------------------------------------------

def check_counts(path, root):
    """The counts Jenkins and GitLab read agree with the testcases."""
    expect(root.tag == "testsuites", f"{path}: root is {root.tag}")
    suites = root.findall("testsuite")
    expect(len(suites) == 1, f"{path}: {len(suites)} testsuite elements")
    cases = suites[0].findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    total_us = sum(round(float(c.get("time")) * 1e6) for c in cases)
    for element in (root, suites[0]):
        for key, value in counts.items():
            expect(element.get(key) == str(value), f"{path}: <{element.tag} {key}={element.get(key)}>, children say {value}")
        expect(round(float(element.get("time")) * 1e6) == total_us, f"{path}: <{element.tag} time>")
    for case in cases:
        outcomes = [e.tag for e in case if e.tag in ("failure", "error", "skipped")]
        expect(len(outcomes) <= 1, f"{path}: testcase with {outcomes}")
        expect(case.get("classname") and case.get("name"), f"{path}: testcase without classname/name")
        expect(float(case.get("time")) >= 0, f"{path}: negative time")
    return cases


def check_junit(folder):
    path = os.path.join(folder, "sample.xml")
    root = ET.parse(path).getroot()
    cases = check_counts(path, root)
    expect(root.get("name") == "mqttsim run", "sample.xml testsuites name")
    suite = root.find("testsuite")
    expect(suite.get("timestamp") == "2026-11-26T06:00:00" and suite.get("hostname") == "ci-runner-1",
           "sample.xml timestamp/hostname")
    expect([(c.get("classname"), c.get("name")) for c in cases] ==
           [("scenarios.sessions", "clean session toggle"), ("scenarios.qos", "in_order"),
            ("scenarios", "broken"), ("scenarios.will", "tcp only")], "sample.xml testcase names")
    expect([c.get("time") for c in cases] == ["0.0042", "0.0125", "0.0", "0.0"], "sample.xml times")
    failure = cases[1].find("failure")
    expect(failure.get("message") == SAMPLE_MESSAGE, f"sample.xml failure message {failure.get('message')!r}")
    expect(failure.get("type") == "ordering", "sample.xml failure type")
    expect("reproduce: mqttsim run --seed 18446744073709551615" in failure.text, "sample.xml reproducer")
    expect("MQTT-4.6.0-3 (3.1.1)" in failure.text and "[no-loss]" in failure.text, "sample.xml findings")
    expect(cases[2].find("error").get("message") == "scenarios/broken.yaml:3:1: unknown key 'clinets'",
           "sample.xml error message")
    expect(cases[3].find("skipped").get("message") == "needs --broker", "sample.xml skipped message")
    expect("seed: 18446744073709551615\n" in cases[1].find("system-out").text, "sample.xml system-out")

    checked = 0
    for stem, tool, inputs in fuzz_inputs(folder):
        path = stem + ".xml"
        root = ET.parse(path).getroot()
        cases = check_counts(path, root)
        expect(root.get("name") == xml_text(tool), f"{path}: testsuites name")
        for case, given, status in zip(cases, inputs, STATUSES):
            where = f"{path} {status}"
            expect(case.get("file") == xml_text(given["file"]), f"{where}: file")
            expect(case.get("name") == xml_text(given["name"]), f"{where}: name")
            expect(case.get("classname") == xml_text(junit_classname(text(given["file"])).encode()),
                   f"{where}: classname {case.get('classname')!r}")
            expect(f"seed: {int(given['seed'])}\n" in case.find("system-out").text, f"{where}: seed")
            if status == "failed":
                failure = case.find("failure")
                expect(failure.get("message") == xml_text(given["message"]), f"{where}: failure message")
                expect(failure.get("type") == xml_text(given["check"]), f"{where}: failure type")
            elif status == "error":
                expect(case.find("error").get("message") == xml_text(given["error"]), f"{where}: error message")
            elif status == "skipped":
                expect(case.find("skipped").get("message") == xml_text(given["skip_reason"]), f"{where}: skip reason")
            else:
                expect(len([e for e in case if e.tag != "system-out"]) == 0, f"{where}: passed with an outcome")
        checked += 1
    expect(checked > 0, "no fuzz reports found")
    return checked


# --- XSD ----------------------------------------------------------------------

def check_schema(folder, xsd):
    files = sorted(glob.glob(os.path.join(folder, "*.xml")))
    expect(len(files) > 1, "no JUnit files found")
    result = subprocess.run(["xmllint", "--noout", "--schema", xsd, *files],
                            capture_output=True, text=True)
    invalid = [line for line in result.stderr.splitlines() if not line.endswith(" validates")]
    expect(result.returncode == 0 and not invalid, "xmllint:\n" + "\n".join(invalid[:20]))
    return len(files)


def main():
    mode, folder = sys.argv[1], sys.argv[2]
    if mode == "json":
        checked = check_json(folder)
    elif mode == "junit":
        checked = check_junit(folder)
    elif mode == "schema":
        checked = check_schema(folder, sys.argv[3])
    else:
        sys.exit(f"unknown mode {mode}")
    if failures:
        print(f"{len(failures)} problem(s):")
        for failure in failures[:30]:
            print("  " + failure)
        sys.exit(1)
    print(f"{mode}: {checked} report(s) parsed, every value as written")


main()
