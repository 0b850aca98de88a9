// The dependency table of ARCHITECTURE.md as a lint rule: each folder may import only the
// folders the table allows. Imports are resolved against the importing file, so a relative
// path that climbs out of its zone is caught however it is spelled.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const NODE_BUILTINS = new Set(builtinModules);

/** zone → folders it may import at run time, folders it may import types from, and packages. */
const ZONES = {
  'engine/core': { imports: ['engine/core'], typesFrom: [], packages: 'none' },
  'engine/protocol': { imports: ['engine/protocol'], typesFrom: ['engine/core'], packages: 'none' },
  'engine/node': { imports: ['engine/core', 'engine/protocol', 'engine/node'], typesFrom: [], packages: 'no-ui' },
  'engine/host': { imports: ['engine/core', 'engine/protocol', 'engine/node', 'engine/host', 'engine/host/supervisor'], typesFrom: [], packages: 'no-ui' },
  // The parent side of the engine host, shared by Electron's main process and `whittle serve`:
  // it may import only the protocol, so Electron importing it pulls in no engine code.
  'engine/host/supervisor': { imports: ['engine/protocol', 'engine/host/supervisor'], typesFrom: ['engine/core'], packages: 'none' },
  cli: { imports: ['engine/core', 'engine/protocol', 'engine/node', 'engine/host', 'engine/host/supervisor', 'cli'], typesFrom: [], packages: 'no-ui' },
  electron: { imports: ['engine/protocol', 'engine/host/supervisor', 'electron'], typesFrom: ['engine/core'], packages: 'any' },
  renderer: { imports: ['engine/protocol', 'renderer'], typesFrom: ['engine/core'], packages: 'browser' },
};

const UI_PACKAGES = /^(electron|react|react-dom|@xyflow\/react|echarts|zustand)(\/|$)/;

/** Longest first, so that a nested zone wins over the folder around it. */
const ZONE_NAMES = Object.keys(ZONES).sort((a, b) => b.length - a.length);

function zoneOf(file) {
  const rel = relative(ROOT, file).split('\\').join('/');
  return ZONE_NAMES.find((z) => rel === z || rel.startsWith(`${z}/`));
}

function packageAllowed(rule, spec) {
  const isBuiltin = spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]);
  switch (rule.packages) {
    case 'none':
      return false;
    case 'no-ui':
      return !UI_PACKAGES.test(spec);
    case 'browser':
      return !isBuiltin && !/^electron(\/|$)/.test(spec) && !/^onnxruntime-node(\/|$)/.test(spec);
    default:
      return true;
  }
}

export default {
  meta: { type: 'problem', messages: { denied: '{{zone}} may not import {{target}} (see the dependency table in ARCHITECTURE.md)' } },
  create(context) {
    const zone = zoneOf(context.filename);
    if (zone === undefined) return {};
    const rule = ZONES[zone];
    const check = (node, source, typeOnly) => {
      const spec = source.value;
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.')) {
        if (!typeOnly && !packageAllowed(rule, spec)) context.report({ node, messageId: 'denied', data: { zone, target: `"${spec}"` } });
        return;
      }
      const target = zoneOf(resolve(dirname(context.filename), spec));
      const allowed = rule.imports.includes(target) || (typeOnly && rule.typesFrom.includes(target));
      if (!allowed) context.report({ node, messageId: 'denied', data: { zone, target: target ?? spec } });
    };
    const isTypeOnly = (node) => node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source, false),
    };
  },
};
