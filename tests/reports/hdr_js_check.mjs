// Decodes histograms encoded by faultline (hdr_interop_emit's JSON) with hdr-histogram-js,
// an independent HdrHistogram implementation, and compares its statistics with faultline's.
//
// Usage: node hdr_js_check.mjs <interop.json> [<dir containing node_modules>]
//        (the directory may also come from HDR_JS_PREFIX; default: the current directory)
// Exit status: 0 when every histogram matches, 1 on any mismatch, 2 on bad setup.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const EXPECTED_VERSION = "3.0.1";

function fail(message) {
  console.error(message);
  process.exit(2);
}

const [inputPath, prefixArg] = process.argv.slice(2);
if (!inputPath) fail("usage: node hdr_js_check.mjs <interop.json> [<node prefix dir>]");
const prefix = path.resolve(prefixArg ?? process.env.HDR_JS_PREFIX ?? ".");
const require = createRequire(path.join(prefix, "package.json"));

let hdr;
let version;
try {
  hdr = require("hdr-histogram-js");
  version = require("hdr-histogram-js/package.json").version;
} catch (e) {
  fail(`cannot load hdr-histogram-js from ${prefix}: ${e.message}`);
}
if (version !== EXPECTED_VERSION) fail(`hdr-histogram-js ${version} installed, the test pins ${EXPECTED_VERSION}`);

const cases = JSON.parse(readFileSync(inputPath, "utf8"));
if (!Array.isArray(cases) || cases.length === 0) fail(`${inputPath}: expected a non-empty JSON array`);

// JS sums the mean in doubles, faultline sums exactly and divides once: allow rounding only.
const closeEnough = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

function compare(c) {
  const problems = [];
  const check = (what, ours, theirs, same = Object.is) => {
    if (!same(ours, theirs)) problems.push(`${what}: faultline ${ours}, hdr-histogram-js ${theirs}`);
  };
  // 64-bit counts: the default 32-bit buckets wrap silently at 2^32.
  const h = hdr.decodeFromCompressedBase64(c.base64, 64, false);
  check("lowest", c.lowest, h.lowestDiscernibleValue);
  check("highest", c.highest, h.highestTrackableValue);
  check("digits", c.digits, h.numberOfSignificantValueDigits);
  check("totalCount", c.count, h.totalCount);
  // JS's maxValue is off by the unit mask when lowest > 1 (see hdr-golden/README.md);
  // getValueAtPercentile(100) is the highest equivalent value of the top bucket, like ours.
  check("max (p100)", c.max, h.getValueAtPercentile(100));
  if (h.unitMagnitude === 0) check("max (maxValue)", c.max, h.maxValue);
  check("min (p0)", c.min, h.getValueAtPercentile(0));
  check("p50", c.p50, h.getValueAtPercentile(50));
  check("p99", c.p99, h.getValueAtPercentile(99));
  check("p99.9", c.p999, h.getValueAtPercentile(99.9));
  for (const [p, v] of c.percentiles) check(`p${p}`, v, h.getValueAtPercentile(p));
  check("mean", c.mean, h.mean, closeEnough);
  check("stddev", c.stddev, h.stdDeviation, (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
  return problems;
}

let passed = 0;
let failed = 0;
for (const c of cases) {
  let problems;
  try {
    problems = compare(c);
  } catch (e) {
    problems = [`hdr-histogram-js threw: ${e.message}`];
  }
  if (problems.length === 0) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${c.name}\n  ${problems.join("\n  ")}`);
  }
}
console.log(`${passed} passed, ${failed} failed (hdr-histogram-js ${version})`);
process.exit(failed === 0 ? 0 : 1);
