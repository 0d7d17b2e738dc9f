"""Golden fixtures for Vireo's image decoding and CLIP preprocessing (dev.vireo.models.image).

Run from this folder with Debian's Python and Pillow 9.4 (not a pyenv python):
    /usr/bin/python3 make_preprocess_golden.py
It (1) writes the synthetic inputs into inputs/ (gradients, grey, palette GIF, RGBA, 1x1, very wide/tall, EXIF-rotated
and CMYK JPEGs, BMPs, 16-bit RGB PNG), (2) decodes every input as PIL does (open, ImageOps.exif_transpose,
convert("RGB")) and records its size and the CRC-32 of its RGB bytes, and (3) writes the expected uint8 pixels as PNG
files in golden/: the CLIP resize + centre crop of Hugging Face's CLIPImageProcessor (re-implemented here from
transformers' image_transforms: get_resize_output_image_size, PIL resize, center_crop with floor rounding), and plain
PIL resizes with every filter and a box, torchvision's PIL colour ops, the float stage, and PIL's draft() (libjpeg
scaled decoding) of a few JPEGs. The real photos come from Debian's python3-skimage and darknet packages.
"""
import io, json, os, struct, zlib
import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "inputs")
OUT = os.path.join(HERE, "golden")


def synth():
    """Small synthetic inputs covering every colour mode and shape edge case."""
    y, x = np.mgrid[0:61, 0:97]
    grad = np.stack([x * 255 // 96, y * 255 // 60, (x + y) * 255 // 156], -1).astype(np.uint8)
    Image.fromarray(grad).save(f"{IN}/gradient_small.png")          # upscaled to 224
    y, x = np.mgrid[0:190, 0:257]
    Image.fromarray(((x * 7 + y * 3) % 256).astype(np.uint8), "L").save(f"{IN}/gray.png")
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:300, 0:230]
    rgba = np.stack([x * 255 // 229, (x * y) % 251, y * 255 // 299, (x + 2 * y) % 256], -1).astype(np.uint8)
    rgba[:100, :, 3] = 0                                              # RGB under alpha 0 must survive
    Image.fromarray(rgba, "RGBA").save(f"{IN}/rgba.png")
    la = rng.integers(0, 256, (40, 50, 2), dtype=np.uint8)
    Image.fromarray(la, "LA").save(f"{IN}/gray_alpha.png")
    Image.fromarray(np.array([[[200, 30, 90]]], np.uint8)).save(f"{IN}/tiny.png")
    y, x = np.mgrid[0:30, 0:1200]
    wide = np.stack([(x // 5) % 256, (y * 8) % 256, ((x ^ y) * 3) % 256], -1).astype(np.uint8)
    Image.fromarray(wide).save(f"{IN}/wide.png")
    Image.fromarray(np.ascontiguousarray(wide[:, :400].transpose(1, 0, 2)[:, :25])).save(f"{IN}/tall.png")
    y, x = np.mgrid[0:224, 0:301]
    odd = np.stack([x % 256, y, (x // 8 + y // 8) % 2 * 255], -1).astype(np.uint8)
    Image.fromarray(odd).save(f"{IN}/odd_margin.png")                 # crop margin 77: floor puts 38 left
    photo = Image.open(f"{IN}/dog.jpg").convert("RGB")
    photo.quantize(64).resize((180, 120), Image.NEAREST).save(f"{IN}/palette.gif")
    photo.resize((64, 48), Image.BICUBIC).convert("1").save(f"{IN}/bilevel.png")
    small = photo.crop((100, 80, 260, 200))                          # 160 x 120
    small.save(f"{IN}/plain.bmp")
    small.quantize(16).save(f"{IN}/palette.bmp")
    small.convert("CMYK").save(f"{IN}/cmyk.jpg", quality=90)
    small.save(f"{IN}/progressive.jpg", quality=85, progressive=True)
    small.convert("L").save(f"{IN}/gray.jpg", quality=85)
    for o in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = o
        small.save(f"{IN}/exif_{o}.jpg", quality=85, exif=exif.tobytes())
    y, x = np.mgrid[0:37, 0:53]
    rgb16 = (np.stack([x * 1200, y * 1700, (x + y) * 700], -1) + rng.integers(0, 256, (37, 53, 3))).astype(">u2")
    write_png16(f"{IN}/rgb16.png", rgb16)


def write_png16(path, a):
    """A 16-bit RGB PNG (PIL cannot write one); PIL reads it back keeping each sample's high byte."""
    h, w, _ = a.shape
    raw = b"".join(b"\x00" + a[r].tobytes() for r in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def load(name):
    with Image.open(f"{IN}/{name}") as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def hf_resize_size(h, w, shortest):
    """transformers.image_transforms.get_resize_output_image_size(default_to_square=False) -> (height, width)."""
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = shortest, int(shortest * long / short)
    return (new_long, new_short) if w <= h else (new_short, new_long)


def hf_center_crop(a, ch, cw):
    """transformers.image_transforms.center_crop on an (H, W, 3) uint8 array, with its zero padding."""
    h, w = a.shape[:2]
    top, left = (h - ch) // 2, (w - cw) // 2
    if top >= 0 and left >= 0:
        return a[top:top + ch, left:left + cw]
    nh, nw = max(ch, h), max(cw, w)
    out = np.zeros((nh, nw, 3), np.uint8)
    tp, lp = -(-(nh - h) // 2), -(-(nw - w) // 2)
    out[tp:tp + h, lp:lp + w] = a
    top, left = top + tp, left + lp
    return out[max(0, top):min(nh, top + ch), max(0, left):min(nw, left + cw)]


def clip_pixels(im, shortest, crop, resample=Image.BICUBIC):
    h, w = hf_resize_size(im.height, im.width, shortest)
    return hf_center_crop(np.asarray(im.resize((w, h), resample)), crop, crop)


def save(name, a):
    Image.fromarray(np.ascontiguousarray(a)).save(f"{OUT}/{name}", optimize=True)
    return f"golden/{name}"


def main():
    os.makedirs(OUT, exist_ok=True)
    synth()
    cases = []
    real = ["chelsea.png", "rocket.jpg", "dog.jpg", "person.jpg", "horse.png",
            "no_time_for_that_tiny.gif", "palette_color.png"]
    # inputs whose decoding is checked by CRC only: their resize is no different from the cases above
    decode_only = {"bilevel.png", "cmyk.jpg", "gray.jpg", "gray_alpha.png", "palette.bmp", "plain.bmp",
                   "progressive.jpg", "rgb16.png"} | {f"exif_{o}.jpg" for o in range(1, 9)}
    synthetic = sorted(f for f in os.listdir(IN) if f not in real and f != "truncated.jpg")
    for name in real + synthetic:
        im = load(name)
        entry = {"input": name, "width": im.width, "height": im.height,
                 "crc32": zlib.crc32(im.tobytes()) & 0xFFFFFFFF}
        if name not in decode_only:
            stem = os.path.splitext(name)[0]
            entry["clip224"] = save(f"clip224_{stem}.png", clip_pixels(im, 224, 224))
        cases.append(entry)
    # crop larger than the resize: HF pads with zeros
    im = load("chelsea.png")
    cases.append({"input": "chelsea.png", "shortest": 100, "crop": 128,
                  "clip_padded": save("clip_pad_chelsea.png", clip_pixels(im, 100, 128))})
    # every PIL filter, down and up, odd sizes, and a box
    resizes = []
    for code in range(6):
        resizes.append({"input": "chelsea.png", "filter": code, "width": 97, "height": 61,
                        "expected": save(f"resize_f{code}_down.png", np.asarray(im.resize((97, 61), code)))})
        box = (150.5, 60.25, 211.0, 101.75)                           # 60.5 x 41.5 source pixels, upscaled
        resizes.append({"input": "chelsea.png", "filter": code, "width": 131, "height": 95, "box": box,
                        "expected": save(f"resize_f{code}_box_up.png", np.asarray(im.resize((131, 95), code, box=box)))})
        box = (10.5, 7.25, 300.0, 211.75)                             # fractional box, downscaled
        resizes.append({"input": "chelsea.png", "filter": code, "width": 83, "height": 71, "box": box,
                        "expected": save(f"resize_f{code}_box_down.png", np.asarray(im.resize((83, 71), code, box=box)))})
    # torchvision's PIL colour ops and resized_crop with fixed factors (the random draws are Vireo's own)
    import torchvision
    from torchvision.transforms import functional as F, InterpolationMode
    src = load("dog.jpg").crop((120, 60, 184, 108))                  # 64 x 48
    ops = [("brightness", 1.3), ("brightness", 0.6), ("contrast", 1.4), ("contrast", 0.55), ("saturation", 1.5),
           ("saturation", 0.3), ("hue", 0.1), ("hue", -0.07), ("hue", 0.5), ("hue", -0.5), ("grayscale", 0)]
    augment = []
    for op, v in ops:
        out = F.rgb_to_grayscale(src, 3) if op == "grayscale" else getattr(F, "adjust_" + op)(src, v)
        augment.append({"op": op, "factor": v, "expected": save(f"aug_{op}_{v}.png", np.asarray(out))})
    crop = F.resized_crop(load("chelsea.png"), 37, 101, 150, 199, [96, 96], InterpolationMode.BICUBIC)
    augment.append({"op": "resized_crop", "top": 37, "left": 101, "height": 150, "width": 199, "size": 96,
                    "expected": save("aug_resized_crop.png", np.asarray(crop))})
    # libjpeg's DCT-domain scaled decoding through PIL's draft(): what JpegBaselineDecoder at 1/d must reproduce
    drafts = []
    for name in ["dog.jpg", "rocket.jpg", "person.jpg", "exif_1.jpg", "exif_6.jpg", "gray.jpg"]:
        for d in (2, 4, 8):
            with Image.open(f"{IN}/{name}") as im:
                w, h = im.size
                im.draft("RGB", (w // d, h // d))
                im = ImageOps.exif_transpose(im).convert("RGB")
                drafts.append({"input": name, "denominator": d, "width": im.width, "height": im.height,
                               "crc32": zlib.crc32(im.tobytes()) & 0xFFFFFFFF})
    # the float stage: HF rescale (float64 multiply, cast to float32) and normalise (float32), channels first, at
    # 97 fixed positions of rocket.jpg's 224 x 224 crop; torchvision's ToTensor + Normalize for comparison
    crop8 = clip_pixels(load("rocket.jpg"), 224, 224)
    mean = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)
    hf = ((crop8.astype(np.float64) * (1 / 255)).astype(np.float32) - mean) / std
    hf = hf.transpose(2, 0, 1).reshape(-1)
    tv = F.normalize(F.to_tensor(Image.fromarray(crop8)), mean.tolist(), std.tolist()).numpy().reshape(-1)
    idx = [int(i) for i in np.random.default_rng(1).choice(hf.size, 97, replace=False)]
    floats = {"input": "rocket.jpg", "index": idx, "hf": [float(hf[i]) for i in idx], "torchvision": [float(tv[i]) for i in idx]}
    with open(f"{HERE}/golden.json", "w") as f:
        json.dump({"pillow": Image.__version__, "torchvision": torchvision.__version__, "decode": cases,
                   "resize": resizes, "augment": augment, "floats": floats, "draft": drafts, "augment_source": {"input": "dog.jpg", "box": [120, 60, 184, 108]}},
                  f, indent=1)
    try:
        load("truncated.jpg")
        raise SystemExit("truncated.jpg decoded, expected an error")
    except OSError as e:
        print("truncated.jpg fails in PIL as expected:", e)


if __name__ == "__main__":
    main()
