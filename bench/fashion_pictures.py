#!/usr/bin/python3
"""Writes the first N Fashion-MNIST training pictures (Debian's dataset-fashion-mnist) as 64x64 RGB PNG files in
one folder per class, each tinted by its class and scaled up (nearest neighbour), for runs of the 64x64 VanillaVAE
layout without a picture set of one's own (bench/distributed.sh). Standard library only (zlib + struct).
Usage: /usr/bin/python3 bench/fashion_pictures.py OUT_DIR N"""
import gzip, os, struct, sys, zlib

SOURCE = '/usr/share/datasets/fashion-mnist'
TINTS = [(255, 80, 80), (80, 200, 80), (80, 120, 255), (230, 200, 60), (200, 90, 220),
         (60, 210, 210), (250, 150, 60), (150, 150, 150), (120, 80, 40), (255, 255, 255)]

def png(path, width, height, rgb):
    rows = b''.join(b'\0' + rgb[y * width * 3:(y + 1) * width * 3] for y in range(height))
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(rows, 6)) + chunk(b'IEND', b''))

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    images = gzip.open(os.path.join(SOURCE, 'train-images-idx3-ubyte.gz')).read()[16:16 + n * 784]
    labels = gzip.open(os.path.join(SOURCE, 'train-labels-idx1-ubyte.gz')).read()[8:8 + n]
    side = 64
    for i in range(n):
        pixels, tint = images[i * 784:(i + 1) * 784], TINTS[labels[i]]
        rgb = bytearray(side * side * 3)
        for y in range(side):
            for x in range(side):
                v = pixels[(y * 28 // side) * 28 + x * 28 // side]
                rgb[(y * side + x) * 3:(y * side + x) * 3 + 3] = bytes(t * v // 255 for t in tint)
        folder = os.path.join(out, str(labels[i]))
        os.makedirs(folder, exist_ok=True)
        png(os.path.join(folder, f'{i:05d}.png'), side, side, bytes(rgb))

if __name__ == '__main__':
    main()
