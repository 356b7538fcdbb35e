// Reads faultline's interval log (report_emit hdrlog) with hdr-histogram-js's
// HistogramLogReader and compares every line's histogram with the statistics faultline
// computed for it (count, max, p50, p99), its tag and its start/end time.
//
// Usage: node hdr_log_check.mjs <log.hlog> <expected.json> [<dir containing node_modules>]
// Exit status: 0 when every interval matches, 1 on any mismatch, 2 on bad setup.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

function fail(message) {
  console.error(message);
  process.exit(2);
}

const [logPath, expectedPath, prefixArg] = process.argv.slice(2);
if (!logPath || !expectedPath) fail("usage: node hdr_log_check.mjs <log.hlog> <expected.json> [<node prefix dir>]");
const prefix = path.resolve(prefixArg ?? process.env.HDR_JS_PREFIX ?? ".");
const require = createRequire(path.join(prefix, "package.json"));
let hdr;
try {
  hdr = require("hdr-histogram-js");
} catch (e) {
  fail(`cannot load hdr-histogram-js from ${prefix}: ${e.message}`);
}

const log = readFileSync(logPath, "utf8");
const expected = JSON.parse(readFileSync(expectedPath, "utf8"));
if (!Array.isArray(expected) || expected.length === 0) fail(`${expectedPath}: expected a non-empty JSON array`);
const startLine = log.split("\n").find((l) => l.startsWith("#[StartTime: "));
if (!startLine) fail("no #[StartTime] line");
const startMs = Number.parseFloat(startLine.split(" ")[1]) * 1000;

const problems = [];
const check = (what, ours, theirs) => {
  if (!Object.is(ours, theirs)) problems.push(`${what}: faultline ${ours}, hdr-histogram-js ${theirs}`);
};

// The reader's tag list: "NO TAG" for the untagged lines, then each step's tag.
const wantTags = ["NO TAG", ...new Set(expected.filter((e) => e.tag !== "").map((e) => e.tag))];
check("listTags", JSON.stringify(wantTags), JSON.stringify(hdr.listTags(log)));

const reader = new hdr.HistogramLogReader(log, 64, false);
let n = 0;
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram(), n++) {
  const e = expected[n];
  if (!e) {
    problems.push(`line ${n}: more intervals than expected`);
    break;
  }
  const where = `interval ${n} (tag ${e.tag || "none"}, ${e.start_s} s)`;
  check(`${where} tag`, e.tag === "" ? hdr.NO_TAG ?? "NO TAG" : e.tag, h.tag);
  check(`${where} start ms`, Math.round(startMs + e.start_s * 1000), Math.round(h.startTimeStampMsec));
  check(`${where} end ms`, Math.round(startMs + (e.start_s + e.length_s) * 1000), Math.round(h.endTimeStampMsec));
  check(`${where} count`, e.count, h.totalCount);
  check(`${where} max`, e.max, h.maxValue);
  check(`${where} p50`, e.p50, h.getValueAtPercentile(50));
  check(`${where} p99`, e.p99, h.getValueAtPercentile(99));
}
check("intervals read", expected.length, n);
if (problems.length > 0) {
  console.log(`FAIL\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${n} intervals match (${wantTags.length} tags)`);
