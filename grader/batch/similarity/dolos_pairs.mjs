// node dolos_pairs.mjs MANIFEST.json — the pairs of submissions Dolos finds alike, as JSON on stdout.
// MANIFEST (written by similarity.cpp): {"language": "c", "template": [PATH...], "top": N, "fragments": N,
//   "submissions": [{"id": ID, "files": [{"name": NAME, "path": PATH}]}]}; paths relative to the work dir.
// Out: {"pairs": [{"left", "right", "similarity", "longest", "fragments": [{"kgrams", "left", "right"}]}],
//       "warnings"}, each side of a fragment {"file", "first", "last", "text"} (1-based lines).
// A submission of several files is analysed as one text (its files in the given order); each fragment is
// mapped back to the file and lines it came from. The template (the assignment's starter code) is ignored.
import { readFileSync } from "node:fs";
import { Dolos, File } from "@dodona/dolos-lib";

const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
const kExcerptLines = 30;

// One text per submission, with where each of its files starts (0-based rows).
function joined(files) {
  const parts = [], starts = [];
  let row = 0;
  for (const f of files) {
    let text = readFileSync(f.path, "utf8");
    if (!text.endsWith("\n")) text += "\n";
    starts.push({ name: f.name, row, lines: text.split("\n").slice(0, -1) });
    parts.push(text);
    row += starts.at(-1).lines.length;
  }
  return { text: parts.join(""), starts };
}

// A region of the joined text as file, 1-based lines and the lines themselves (the part in the region's first file).
function locate(starts, region) {
  let i = starts.length - 1;
  while (i > 0 && starts[i].row > region.startRow) i--;
  const f = starts[i];
  const first = region.startRow - f.row;
  const last = Math.min(region.endRow - f.row, f.lines.length - 1);
  return { file: f.name, first: first + 1, last: last + 1,
           text: f.lines.slice(first, Math.min(last + 1, first + kExcerptLines)).join("\n") };
}

const subs = manifest.submissions.map(s => ({ id: s.id, ...joined(s.files) }));
const files = subs.map(s => new File(s.id + "." + manifest.language, s.text));
const template = manifest.template.length ? new File("template", joined(manifest.template.map(p => ({ name: p, path: p }))).text)
                                          : undefined;
const dolos = new Dolos({ language: manifest.language });
const report = await dolos.analyze(files, "class", template);
const byFile = new Map(files.map((f, i) => [f, subs[i]]));

const pairs = report.allPairs()
  .map(p => ({ pair: p, left: byFile.get(p.leftFile.file), right: byFile.get(p.rightFile.file) }))
  .filter(p => p.left && p.right && p.pair.similarity > 0)  // all shared code in the template: not alike
  .sort((a, b) => b.pair.similarity - a.pair.similarity || a.left.id.localeCompare(b.left.id) || a.right.id.localeCompare(b.right.id))
  .slice(0, manifest.top);

const out = pairs.map(({ pair, left, right }) => {
  // Ids in order, so the same two students always make the same row.
  const swap = left.id > right.id;
  const [l, r] = swap ? [right, left] : [left, right];
  const fragments = pair.buildFragments()
    .map(f => swap ? { l: f.rightSelection, r: f.leftSelection, n: f.pairs.length }
                   : { l: f.leftSelection, r: f.rightSelection, n: f.pairs.length })
    .sort((a, b) => b.n - a.n || a.l.startRow - b.l.startRow)
    .slice(0, manifest.fragments)
    .map(f => ({ kgrams: f.n, left: locate(l.starts, f.l), right: locate(r.starts, f.r) }));
  return { left: l.id, right: r.id, similarity: pair.similarity, longest: pair.longest, fragments };
});
process.stdout.write(JSON.stringify({ pairs: out, warnings: report.warnings }) + "\n");
