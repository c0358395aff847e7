// Refuses, with a way out, when Node is older than the book needs (22.12:
// Astro 7 and Vitest need it; weft's threads in Node run .ts files through
// Node's built-in type stripping). Plain old syntax on purpose: this must
// run, and explain itself, on the old Node it is rejecting.
var required = [22, 12];
var parts = process.versions.node.split('.').map(Number);
var ok = parts[0] > required[0] || (parts[0] === required[0] && parts[1] >= required[1]);
if (!ok) {
  console.error(
    '\nWeft needs Node.js ' + required.join('.') + ' or newer; this is ' + process.version + ' (' + process.execPath + ').\n' +
      'Get a newer one with any of:\n' +
      '  - nvm install 24 && nvm use 24            (https://github.com/nvm-sh/nvm)\n' +
      '  - fnm install 24 && fnm use 24            (https://github.com/Schniz/fnm)\n' +
      '  - a current installer from https://nodejs.org/\n' +
      '  - no version manager: npm i --prefix .ci/node node@24 --no-save\n' +
      '    export PATH="$PWD/.ci/node/node_modules/.bin:$PATH"\n'
  );
  process.exit(1);
}
