#!/usr/bin/python3
"""Writes N pictures for the image-folder benchmark from a folder of real pictures (e.g. Debian's
tuxpaint-stamps-default: /usr/share/tuxpaint/stamps, 796 RGBA PNGs in 16 class folders): each output is a source
picture (cycled) composited over a random light background, randomly flipped, scaled (0.7-1.0 of the square) and
shifted, saved as a 96x96 PNG in the source's class folder, so both peers decode, crop and resize real pixels.
Usage: /usr/bin/python3 make_image_folder.py SOURCE_DIR OUT_DIR N   (needs Debian's python3-pil)"""
import os, random, sys
from PIL import Image

def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs if f.lower().endswith('.png'))
    rng = random.Random(1)
    for i in range(n):
        path = files[i % len(files)]
        cls = os.path.relpath(path, src).split(os.sep)[0]
        im = Image.open(path).convert('RGBA')
        side = 96
        bg = Image.new('RGBA', (side, side), tuple(rng.randrange(160, 256) for _ in range(3)) + (255,))
        s = rng.uniform(0.7, 1.0) * side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.BILINEAR)
        if rng.random() < 0.5: im = im.transpose(Image.FLIP_LEFT_RIGHT)
        x, y = rng.randrange(0, side - im.size[0] + 1), rng.randrange(0, side - im.size[1] + 1)
        bg.alpha_composite(im, (x, y))
        os.makedirs(os.path.join(out, cls), exist_ok=True)
        bg.convert('RGB').save(os.path.join(out, cls, f'{i:05d}.png'))

if __name__ == '__main__':
    main()
