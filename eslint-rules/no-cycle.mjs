// A small local ESLint rule: no import cycles between our own modules (relative imports, type-only ones included:
// a cycle of types is still two modules that cannot be understood one without the other). It reads the module graph
// from the TypeScript program typed linting already builds, so it adds no dependency.
import ts from 'typescript';
import { dirname, resolve } from 'node:path';

const graphs = new WeakMap();

function targets(program, file) {
  const sf = program.getSourceFile(file);
  if (!sf) return [];
  const out = [];
  for (const st of sf.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (!spec || !spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const hit = [`${base}.ts`, `${base}/index.ts`, base].find((p) => p.endsWith('.ts') && program.getSourceFile(p));
    if (hit) out.push(hit);
  }
  return out;
}

function graphOf(program) {
  let g = graphs.get(program);
  if (!g) {
    g = new Map();
    graphs.set(program, g);
  }
  return g;
}

function edges(program, file) {
  const g = graphOf(program);
  if (!g.has(file)) g.set(file, targets(program, file));
  return g.get(file);
}

/** A path from `from` back to `to`, or undefined. */
function pathBack(program, from, to) {
  const seen = new Set();
  const stack = [[from, [from]]];
  while (stack.length) {
    const [file, path] = stack.pop();
    if (file === to) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of edges(program, file)) stack.push([next, [...path, next]]);
  }
  return undefined;
}

export default {
  rules: {
    'no-cycle': {
      meta: { type: 'problem', docs: { description: 'No import cycles between our modules.' }, schema: [] },
      create(context) {
        const program = context.sourceCode.parserServices?.program;
        if (!program) return {};
        const file = resolve(context.filename);
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const base = resolve(dirname(file), spec);
          const target = [`${base}.ts`, `${base}/index.ts`, base].find((p) => p.endsWith('.ts') && program.getSourceFile(p));
          if (!target) return;
          const back = pathBack(program, target, file);
          if (back) {
            const root = resolve(import.meta.dirname, '..');
            const short = (p) => p.slice(root.length + 1);
            context.report({ node, message: `Import cycle: ${[file, ...back].map(short).join(' → ')}` });
          }
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
      },
    },
  },
};
