"""The vl-mid pretraining step of `vireo bench vl` in PyTorch: the same model, batch and objectives.

Model (read from models/src/main/resources/dev/vireo/models/config/vl-mid.json, as VlModel builds
it): a CLIP ViT (48x48 images, patch 6: 64+1 tokens, width 64, pre-LN blocks, MLP 4x, the config's
activation, class token, learned positions, pre and post LN, every token out), a BERT text stack
(vocabulary V from the shapes captions, width 64, post-LN layers, intermediate 256, GELU, LN eps
1e-12, word + position + type embeddings) whose last `fusionLayers` layers add cross-attention over
the image tokens (ALBEF's mid fusion), ITC projections to the embedding width, a learnable logit
scale (CLIP's clamp at ln 100), an ITM head (2 logits) on the fused [CLS] and BERT's MLM head
(dense, GELU, LN, decoder to V). q, k and v are separate Linears, as in Vireo (and Hugging Face's
BERT and CLIP).

One step (VlPretraining + the trainer's loop): image tower once; text layers on the caption;
ITC: symmetric InfoNCE of the normalised projected [CLS] states; ITM: B true pairs, one hard
negative image per text and one hard negative text per image drawn by softmax of the (detached)
contrastive similarity, the true partner excluded (3B rows through the fusion layers, cross-entropy
on match / no match); MLM: 15% of the ordinary tokens chosen (at least one per caption), 80% [MASK],
10% random, 10% kept, the masked caption through the text and fusion layers with its image, the
MLM head on the chosen positions only; loss = itc + itm + mlm; backward; clip the global gradient
norm at 1; AdamW (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.1 on matrices only); clamp
the logit scale. The same random batch every step (B images, captions of a fixed padded length T
with realistic row lengths); masking and negatives drawn afresh each step.

Variants: eager with written-out attention (softmax(q k^T / sqrt(d) + mask) v), eager with
F.scaled_dot_product_attention (PyTorch 2), and torch.compile (inductor) of the towers and the
fusion stack. Reported: median s/step after warm-up, samples/s, the forward / backward / optimizer
split, peak RSS (ru_maxrss) and the CPU other processes took over the timed steps
(foreign_cpu, in CPUs, as ../shared/peers/common.py measures it). One JSON line per run is appended to --out.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4  # CaptionVocabulary.SPECIALS, in order
FIRST_ORDINARY = 5
MAX_LOGIT_SCALE = math.log(100)
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../models/src/main/resources/dev/vireo/models/config/vl-mid.json")
ACTIVATIONS = {"gelu": F.gelu, "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),
               "gelu_tanh": lambda x: F.gelu(x, approximate="tanh")}


class Config:
    """The sizes of a mid-fusion VL config JSON (VlConfig's fields) and the vocabulary the captions gave."""

    def __init__(self, path, vocab):
        with open(path) as f:
            j = json.load(f)
        if j["fusion"] != "mid":
            sys.exit(f"vl_train_step: {path} is {j['fusion']} fusion; this peer is the mid-fusion (ALBEF) model")
        v, t = j["vision"], j["text"]
        self.image_size, self.patch, self.v_width = v["imageSize"], v["patchSize"], v["width"]
        self.v_layers, self.v_heads, self.v_mlp = v["layers"], v["heads"], round(v["width"] * v["mlpRatio"])
        self.v_act = ACTIVATIONS[v.get("activation", "quick_gelu")]
        self.hidden, self.t_layers, self.t_heads, self.intermediate = t["hidden"], t["layers"], t["heads"], t["intermediate"]
        self.max_positions, self.type_vocab, self.eps = t["maxPositions"], t["typeVocabSize"], t["layerNormEps"]
        self.t_act = ACTIVATIONS[t.get("activation", "gelu")]
        self.fusion_layers, self.embed, self.vocab = j["fusionLayers"], j["embedDim"], vocab


def attend(q, k, v, heads, mask, sdpa):
    """q (B, T, C), k and v (B, S, C), mask (B, 1, 1, S) additive or None -> (B, T, C)."""
    b, t, c = q.shape
    s = k.shape[1]
    d = c // heads
    q = q.view(b, t, heads, d).transpose(1, 2)  # (B, H, T, D)
    k = k.view(b, s, heads, d).transpose(1, 2)  # (B, H, S, D)
    v = v.view(b, s, heads, d).transpose(1, 2)  # (B, H, S, D)
    if sdpa:
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    else:
        a = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(d))  # (B, H, T, S)
        if mask is not None:
            a = a + mask
        y = torch.matmul(torch.softmax(a, dim=-1), v)  # (B, H, T, D)
    return y.transpose(1, 2).reshape(b, t, c)


class VisionBlock(nn.Module):
    """Pre-LN: x + attn(ln1(x)), then + mlp(ln2(x)) (TransformerBlock)."""

    def __init__(self, c, sdpa):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(c.v_width), nn.LayerNorm(c.v_width)
        self.q, self.k, self.v, self.o = (nn.Linear(c.v_width, c.v_width) for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(c.v_width, c.v_mlp), nn.Linear(c.v_mlp, c.v_width)
        self.heads, self.sdpa, self.act = c.v_heads, sdpa, c.v_act

    def forward(self, x):
        n = self.ln1(x)
        x = x + self.o(attend(self.q(n), self.k(n), self.v(n), self.heads, None, self.sdpa))
        return x + self.fc2(self.act(self.fc1(self.ln2(x))))


class Vision(nn.Module):
    """CLIP's ViT, every token out (VisionTransformer.forwardTokens)."""

    def __init__(self, c, sdpa):
        super().__init__()
        tokens = (c.image_size // c.patch) ** 2 + 1
        self.patch = nn.Conv2d(3, c.v_width, c.patch, stride=c.patch, bias=False)
        self.cls = nn.Parameter(torch.randn(c.v_width) * c.v_width ** -0.5)
        self.pos = nn.Parameter(torch.randn(tokens, c.v_width) * c.v_width ** -0.5)
        self.pre, self.post = nn.LayerNorm(c.v_width), nn.LayerNorm(c.v_width)
        self.blocks = nn.ModuleList(VisionBlock(c, sdpa) for _ in range(c.v_layers))

    def forward(self, images):
        p = self.patch(images).flatten(2).transpose(1, 2)  # (B, P, C)
        x = torch.cat([self.cls.expand(p.shape[0], 1, -1), p], dim=1) + self.pos  # (B, P+1, C)
        x = self.pre(x)
        for blk in self.blocks:
            x = blk(x)
        return self.post(x)  # (B, P+1, C)


class BertAttention(nn.Module):
    """Post-LN: LN(x + dense(attn(q(x), k(ctx), v(ctx))))."""

    def __init__(self, c, ctx_width, sdpa):
        super().__init__()
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key, self.value = nn.Linear(ctx_width, c.hidden), nn.Linear(ctx_width, c.hidden)
        self.dense, self.norm = nn.Linear(c.hidden, c.hidden), nn.LayerNorm(c.hidden, eps=c.eps)
        self.heads, self.sdpa = c.t_heads, sdpa

    def forward(self, x, ctx, mask):
        y = attend(self.query(x), self.key(ctx), self.value(ctx), self.heads, mask, self.sdpa)
        return self.norm(x + self.dense(y))


class BertLayer(nn.Module):
    def __init__(self, c, cross, sdpa):
        super().__init__()
        self.attention = BertAttention(c, c.hidden, sdpa)
        self.cross = BertAttention(c, c.v_width, sdpa) if cross else None
        self.inter, self.out = nn.Linear(c.hidden, c.intermediate), nn.Linear(c.intermediate, c.hidden)
        self.norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.act = c.t_act

    def forward(self, x, mask, image=None):
        h = self.attention(x, x, mask)
        if self.cross is not None:
            h = self.cross(h, image, None)
        return self.norm(h + self.out(self.act(self.inter(h))))


class VlModel(nn.Module):
    def __init__(self, c, sdpa):
        super().__init__()
        self.vision = Vision(c, sdpa)
        self.word = nn.Embedding(c.vocab, c.hidden)
        self.position = nn.Embedding(c.max_positions, c.hidden)
        self.token_type = nn.Embedding(c.type_vocab, c.hidden)
        self.emb_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        first = c.t_layers - c.fusion_layers
        self.text_layers = nn.ModuleList(BertLayer(c, False, sdpa) for _ in range(first))
        self.fusion_layers = nn.ModuleList(BertLayer(c, True, sdpa) for _ in range(c.fusion_layers))
        self.vision_proj, self.text_proj = nn.Linear(c.v_width, c.embed), nn.Linear(c.hidden, c.embed)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.itm_head = nn.Linear(c.hidden, 2)
        self.mlm_dense, self.mlm_norm = nn.Linear(c.hidden, c.hidden), nn.LayerNorm(c.hidden, eps=c.eps)
        self.mlm_decoder = nn.Linear(c.hidden, c.vocab)
        self.mlm_act = c.t_act
        for name, p in self.named_parameters():  # BERT's init for the text side (the scale only matters for finite losses)
            if p.dim() == 2 and not name.startswith("vision"):
                nn.init.normal_(p, 0, 0.02)

    def image_tokens(self, images):
        return self.vision(images)  # (B, S, Cv)

    def text_tokens(self, ids, mask):
        t = ids.shape[1]
        pos = torch.arange(t)
        x = self.emb_norm(self.word(ids) + self.position(pos) + self.token_type(torch.zeros_like(ids)))  # (B, T, C)
        for layer in self.text_layers:
            x = layer(x, mask)
        return x

    def fuse(self, text, mask, image):
        for layer in self.fusion_layers:
            text = layer(text, mask, image)
        return text  # (B, T, C)

    def mlm_logits(self, hidden):
        return self.mlm_decoder(self.mlm_norm(self.mlm_act(self.mlm_dense(hidden))))


def mlm_mask(ids, vocab, gen):
    """BERT's 15% with 80/10/10 over the ordinary tokens, at least one per caption -> (masked ids, targets)."""
    eligible = ids >= FIRST_ORDINARY
    chosen = (torch.rand(ids.shape, generator=gen) < 0.15) & eligible
    none = ~chosen.any(dim=1) & eligible.any(dim=1)
    if none.any():  # one eligible token at random for each caption with none chosen
        pick = (torch.rand(ids.shape, generator=gen) * eligible).argmax(dim=1)
        chosen[none, pick[none]] = True
    r = torch.rand(ids.shape, generator=gen)
    masked = ids.clone()
    masked[chosen & (r < 0.8)] = MASK
    swap = chosen & (r >= 0.8) & (r < 0.9)
    masked[swap] = torch.randint(FIRST_ORDINARY, vocab, (int(swap.sum()),), generator=gen)
    return masked, torch.where(chosen, ids, torch.full_like(ids, -100))


def losses(model, parts, images, ids, mask, gen):
    """itc + itm + mlm of one batch; parts are the (possibly compiled) image, text and fusion functions."""
    image_tokens, text_tokens, fuse = parts
    n = ids.shape[0]
    image = image_tokens(images)            # (B, S, Cv)
    text = text_tokens(ids, mask)           # (B, T, C)
    i = F.normalize(model.vision_proj(image[:, 0]), dim=-1, eps=1e-12)  # (B, E)
    t = F.normalize(model.text_proj(text[:, 0]), dim=-1, eps=1e-12)     # (B, E)
    logits = model.logit_scale.clamp(max=MAX_LOGIT_SCALE).exp() * i @ t.t()  # (B, B) image x text
    labels = torch.arange(n)
    itc = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    with torch.no_grad():  # hard negatives in proportion to softmax of the similarity, never the true partner
        sim = logits.detach()
        w_text = torch.softmax(sim, dim=1).fill_diagonal_(0)
        w_image = torch.softmax(sim.t(), dim=1).fill_diagonal_(0)
        neg_text = torch.multinomial(w_text, 1, generator=gen).squeeze(1)    # for each image
        neg_image = torch.multinomial(w_image, 1, generator=gen).squeeze(1)  # for each text
    texts = torch.cat([labels, labels, neg_text])
    imgs = torch.cat([labels, neg_image, labels])
    fused = fuse(text[texts], mask[texts], image[imgs])  # (3B, T, C)
    itm_labels = torch.cat([torch.ones(n, dtype=torch.long), torch.zeros(2 * n, dtype=torch.long)])
    itm = F.cross_entropy(model.itm_head(fused[:, 0]), itm_labels)
    masked, targets = mlm_mask(ids, model.mlm_decoder.out_features, gen)
    fused = fuse(text_tokens(masked, mask), mask, image)  # (B, T, C)
    rows = (targets.view(-1) != -100).nonzero().squeeze(1)
    hidden = fused.reshape(-1, fused.shape[-1])[rows]     # (N, C)
    mlm = F.cross_entropy(model.mlm_logits(hidden), targets.view(-1)[rows])
    return itc + itm + mlm, (itc.item(), itm.item(), mlm.item())


def batch(c, b, t, caption_mean, gen):
    """B random images and B captions padded to T: [CLS] ordinary tokens [SEP], row lengths averaging caption_mean, the first T long."""
    images = torch.randn(b, 3, c.image_size, c.image_size, generator=gen)
    low = max(3, min(t, round(2 * caption_mean - t)))
    lengths = torch.randint(low, t + 1, (b,), generator=gen)
    lengths[0] = t
    ids = torch.full((b, t), PAD, dtype=torch.long)
    for r in range(b):
        n = int(lengths[r])
        ids[r, 0] = CLS
        ids[r, 1:n - 1] = torch.randint(FIRST_ORDINARY, c.vocab, (n - 2,), generator=gen)
        ids[r, n - 1] = SEP
    mask = torch.where(ids == PAD, torch.finfo(torch.float32).min, 0.0).view(b, 1, 1, t)  # additive, over keys
    return images, ids, mask


def busy_ticks():
    """user + nice + system + irq + softirq + steal of all CPUs (/proc/stat), as ../shared/peers/common.py."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def own_cpu_s():
    t = os.times()
    return t.user + t.system


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default=CONFIG, help="the VL config JSON (default: Vireo's vl-mid)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--length", type=int, default=14, help="padded caption length T (Vireo's text_length_mean)")
    p.add_argument("--caption-mean", type=float, default=11.0, help="mean caption length (Vireo's caption_length_mean)")
    p.add_argument("--vocab", type=int, default=84, help="vocabulary size (Vireo's vocab_size)")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=15, help="untimed steps first (as bench vl; torch.compile compiles in the first)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--attention", choices=["manual", "sdpa"], default="manual")
    p.add_argument("--compile", action="store_true", help="torch.compile (inductor) the image tower, text layers and fusion stack")
    p.add_argument("--tag", default="")
    p.add_argument("--out", required=True, help="JSON-lines file to append to")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.attention == "sdpa" and not hasattr(F, "scaled_dot_product_attention"):
        sys.exit(f"vl_train_step: PyTorch {torch.__version__} has no scaled_dot_product_attention")
    if args.compile and not hasattr(torch, "compile"):
        sys.exit(f"vl_train_step: PyTorch {torch.__version__} has no torch.compile")
    torch.manual_seed(0)
    c = Config(args.config, args.vocab)
    model = VlModel(c, args.attention == "sdpa").train()
    # as Vireo's ParamGroups: the Linear weights decay; biases, norms, embeddings, the patch conv and the scale do not
    decay = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    rest = [p for p in model.parameters() if all(p is not d for d in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    parts = (model.image_tokens, model.text_tokens, model.fuse)
    if args.compile:
        parts = tuple(torch.compile(f, dynamic=False) for f in parts)
    gen = torch.Generator().manual_seed(0)
    images, ids, mask = batch(c, args.batch, args.length, args.caption_mean, gen)
    params = list(model.parameters())
    t_fwd, t_bwd, t_opt, t_step, loss_values = [], [], [], [], []
    t_start = time.perf_counter()
    load0 = (busy_ticks(), own_cpu_s(), t_start)
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss, split = losses(model, parts, images, ids, mask, gen)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, MAX_LOGIT_SCALE)
        t3 = time.perf_counter()
        loss_values.append(loss.item())
        if i == args.warmup - 1:  # other processes' load over the timed steps from here
            load0 = (busy_ticks(), own_cpu_s(), time.perf_counter())
        if i >= args.warmup:
            t_fwd.append(t1 - t0)
            t_bwd.append(t2 - t1)
            t_opt.append(t3 - t2)
            t_step.append(t3 - t0)
    wall = time.perf_counter() - load0[2]
    foreign = max(0.0, ((busy_ticks() - load0[0]) / os.sysconf("SC_CLK_TCK") - (own_cpu_s() - load0[1])) / wall)
    med = statistics.median(t_step)
    variant = ("compile" if args.compile else "eager") + "+" + args.attention
    rec = {"kind": "result", "bench": "vl_train_step", "tag": args.tag, "torch": torch.__version__, "variant": variant,
           "threads": torch.get_num_threads(), "config": os.path.basename(args.config), "vision_layers": c.v_layers, "batch": args.batch, "length": args.length, "vocab": args.vocab,
           "steps": args.steps, "warmup": args.warmup,
           "s_per_step_median": round(med, 4), "s_per_step_best": round(min(t_step), 4),
           "samples_per_s": round(args.batch / med, 1),
           "fwd_s": round(statistics.median(t_fwd), 4), "bwd_s": round(statistics.median(t_bwd), 4),
           "opt_s": round(statistics.median(t_opt), 4), "foreign_cpu": round(foreign, 2), "warmup_and_steps_s": round(time.perf_counter() - t_start, 1),
           "peak_rss_mb": round(peak_rss_mb()), "params_m": round(sum(p.numel() for p in params) / 1e6, 3),
           "loss_first": round(loss_values[0], 4), "loss_last": round(loss_values[-1], 4),
           "allocator": "tcmalloc" if "tcmalloc" in os.environ.get("LD_PRELOAD", "") else "glibc",
           "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)")}
    with open(args.out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"  [{args.tag} {variant}] {med:.3f} s/step  {args.batch / med:.1f} samples/s  (fwd {rec['fwd_s']:.3f} "
          f"bwd {rec['bwd_s']:.3f} opt {rec['opt_s']:.3f})  peak RSS {rec['peak_rss_mb']} MB  foreign {foreign:.2f}  "
          f"loss {loss_values[0]:.3f}->{loss_values[-1]:.3f}", flush=True)


if __name__ == "__main__":
    main()
