// Each row is an Int32Array of its escape times, collected in row order and copied into the flat image.
import { parIter, range, sharedArray } from "weft/par";

/** How many iterations of z = z² + c, from z = 0, until |z| > 2; at most `maxIter`. */
function escapeTime(cx: number, cy: number, maxIter: number): number {
  let x = 0;
  let y = 0;
  let i = 0;
  while (i < maxIter && x * x + y * y <= 4) {
    const nx = x * x - y * y + cx;
    y = 2 * x * y + cy;
    x = nx;
    i++;
  }
  return i;
}

/** The escape time of every pixel, row by row: pixel (col, row) is the point (x0 + col * step, y0 + row * step). */
export function render(width: number, height: number, maxIter: number, x0: number, y0: number, step: number): number[] {
  // Each row as a typed array of its escape times, copied into the flat image in row order.
  const rows = range(0, height)
    .map((row) => {
      const line = new Int32Array(width);
      for (let col = 0; col < width; col++) line[col] = escapeTime(x0 + col * step, y0 + row * step, maxIter);
      return line;
    })
    .collect();
  const image: number[] = [];
  for (const line of rows) image.push(...line);
  return image;
}

function main() {
  const width = 72;
  const height = 36;
  const image = render(width, height, 40, -2.2, -0.8, 0.045);
  const shades = " .:-=+*#%@";
  for (let row = 0; row < height; row++) {
    const line = image.slice(row * width, (row + 1) * width);
    console.log(line.map((n) => shades[Math.min(shades.length - 1, Math.floor(n / 4))]).join(""));
  }
}
