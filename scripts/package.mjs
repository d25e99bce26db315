// Builds platform-specific VSIX files: each holds exactly its own better-sqlite3 prebuild and its
// own sqlite-vec platform package, nothing of the other platforms.
//   npm run package                      the VSIX of this machine
//   npm run package:all                  one per target in TARGETS
//   node scripts/package.mjs --target darwin-arm64 [--target …] [--out DIR]
// sqlite-vec ships one npm package per platform and npm installs only this machine's; the others
// are fetched with `npm pack` from the registry (cached in .tools/npm-packs) and unpacked into
// node_modules for the time of packaging, then removed again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** vsce target → the names its two native dependencies use for the same platform. */
const TARGETS = {
  'linux-x64': { prebuild: 'linux-x64', sqliteVec: 'sqlite-vec-linux-x64' },
  'linux-arm64': { prebuild: 'linux-arm64', sqliteVec: 'sqlite-vec-linux-arm64' },
  'darwin-x64': { prebuild: 'darwin-x64', sqliteVec: 'sqlite-vec-darwin-x64' },
  'darwin-arm64': { prebuild: 'darwin-arm64', sqliteVec: 'sqlite-vec-darwin-arm64' },
  'win32-x64': { prebuild: 'win32-x64', sqliteVec: 'sqlite-vec-windows-x64' },
};

function hostTarget() {
  const target = `${process.platform}-${process.arch}`;
  if (!TARGETS[target])
    throw new Error(
      `No VSIX target for this machine (${target}); give --target one of: ${Object.keys(TARGETS).join(', ')}`,
    );
  return target;
}

/** The environment for a nested npm, as scripts/nested-npm.sh makes it: the outer npm's npm_* variables
 * removed but for where it found its settings. */
const KEPT = new Set(['npm_config_globalconfig', 'npm_config_userconfig', 'npm_config_cache']);
function nestedNpmEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => KEPT.has(k) || (!/^npm_/i.test(k) && k !== 'INIT_CWD')),
  );
}

function npm(args, cwd) {
  const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return execFileSync(npmCli, args, {
    cwd,
    env: nestedNpmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  });
}

/** Makes node_modules/<pkg> hold the given version; returns true when it had to be added. */
function ensurePlatformPackage(pkg, version) {
  const dir = path.join(root, 'node_modules', pkg);
  const manifest = path.join(dir, 'package.json');
  if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).version === version) return false;
  const cache = path.join(root, '.tools', 'npm-packs');
  fs.mkdirSync(cache, { recursive: true });
  const tarball = path.join(cache, `${pkg}-${version}.tgz`);
  if (!fs.existsSync(tarball)) {
    console.log(`fetching ${pkg}@${version} from the npm registry`);
    const name = npm(['pack', `${pkg}@${version}`, '--pack-destination', cache, '--silent'], cache)
      .trim()
      .split('\n')
      .pop();
    if (path.join(cache, name) !== tarball) fs.renameSync(path.join(cache, name), tarball);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  return true;
}

/**
 * The project's .vscodeignore with the native parts narrowed to one target. vsce keeps a file that
 * matches any `!` line, whatever the order, so the target's files are listed instead of globbed.
 */
function ignoreFileFor(target) {
  const { prebuild, sqliteVec } = TARGETS[target];
  const lines = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => !/^!node_modules\/(better-sqlite3\/(lib|prebuilds)\/|sqlite-vec-)/.test(l));
  // lib/<platform>.js loads prebuilds/<platform>.node: keep only this target's.
  const otherShims = new Set(
    fs.readdirSync(path.join(root, 'node_modules/better-sqlite3/prebuilds')).map((f) => f.replace(/\.node$/, '.js')),
  );
  otherShims.delete(`${prebuild}.js`);
  for (const entry of fs.readdirSync(path.join(root, 'node_modules/better-sqlite3/lib'), { withFileTypes: true })) {
    if (entry.isDirectory()) lines.push(`!node_modules/better-sqlite3/lib/${entry.name}/**`);
    else if (!otherShims.has(entry.name)) lines.push(`!node_modules/better-sqlite3/lib/${entry.name}`);
  }
  lines.push(`!node_modules/better-sqlite3/prebuilds/${prebuild}.node`, `!node_modules/${sqliteVec}/**`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-vscodeignore-')), '.vscodeignore');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function packageTargets(targets, outDir) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vecVersion = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules/sqlite-vec/package.json'), 'utf8'),
  ).version;
  for (const target of targets) {
    if (!TARGETS[target]) throw new Error(`Unknown target '${target}'; use one of: ${Object.keys(TARGETS).join(', ')}`);
    if (!fs.existsSync(path.join(root, 'node_modules/better-sqlite3/prebuilds', `${TARGETS[target].prebuild}.node`))) {
      throw new Error(`better-sqlite3 has no prebuilt binary for ${target}`);
    }
  }
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  fs.mkdirSync(outDir, { recursive: true });
  const added = [];
  const written = [];
  try {
    for (const target of targets) {
      const { sqliteVec } = TARGETS[target];
      if (ensurePlatformPackage(sqliteVec, vecVersion)) added.push(sqliteVec);
      const ignoreFile = ignoreFileFor(target);
      const out = path.join(outDir, `devstream-${target}-${version}.vsix`);
      const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
      try {
        execFileSync(
          process.execPath,
          [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--no-rewrite-relative-links', '-o', out],
          { cwd: root, stdio: 'inherit', env: nestedNpmEnv() },
        );
      } finally {
        fs.rmSync(path.dirname(ignoreFile), { recursive: true, force: true });
      }
      written.push(out);
    }
  } finally {
    for (const pkg of added) fs.rmSync(path.join(root, 'node_modules', pkg), { recursive: true, force: true });
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { target: { type: 'string', multiple: true }, all: { type: 'boolean' }, out: { type: 'string' } },
  });
  try {
    const targets = values.all ? Object.keys(TARGETS) : (values.target ?? [hostTarget()]);
    for (const file of packageTargets(targets, path.resolve(values.out ?? root)))
      console.log(`built ${path.relative(process.cwd(), file)}`);
  } catch (e) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
