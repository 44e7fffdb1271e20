// Builds the banner: core.js (synchronous, every page) and ui.js (lazily, when the banner
// must be shown, with its CSS inlined). The server fills each placeholder with site
// configuration, so the build fails if a placeholder would not survive minification.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
// es2020: optional chaining stays as written (every browser since 2020 has it).
const common = { bundle: true, minify: true, format: 'iife', target: ['es2020'], legalComments: 'none', logLevel: 'warning' };

await build({ entryPoints: [dir + 'src/ui.css'], outfile: dir + 'dist/ui.min.css', minify: true, logLevel: 'warning' });
await build({ ...common, entryPoints: [dir + 'src/core.js'], outfile: dir + 'dist/core.js' });
await build({ ...common, entryPoints: [dir + 'src/ui.js'], outfile: dir + 'dist/ui.js', loader: { '.css': 'text' } });

for (const [file, placeholder] of [['core.js', '__SAMTYKKE_CONFIG__'], ['ui.js', '__SAMTYKKE_UI__']]) {
  const text = readFileSync(dir + 'dist/' + file, 'utf8');
  if (text.split(placeholder).length !== 2) {
    throw new Error(`${file}: expected exactly one ${placeholder}`);
  }
}
