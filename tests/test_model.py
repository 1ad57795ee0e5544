"""skddmt._model: the DDT denoiser and its neighbour-masked attention."""

import pickle

import pytest

import torch

from skddmt._masks import neighbour_band
from skddmt._model import DDTDenoiser, EncoderLayer, sinusoidal_embedding


def test_band_blocks_attention():
    """Perturbing a token inside the band does not change the output of token i."""
    torch.manual_seed(0)
    layer = EncoderLayer(d_model=8, n_heads=2, dim_feedforward=16).eval()
    width, i = 2, 5
    allowed = neighbour_band(12, width)
    h = torch.randn(1, 12, 8)
    base = layer(h, allowed)
    for j in range(12):
        h2 = h.clone()
        if j == i:
            continue
        h2[0, j] += 5.0 * torch.randn(8)  # not constant: LayerNorm would cancel it
        out = layer(h2, allowed)
        changed = not torch.allclose(out[0, i], base[0, i], atol=1e-6)
        assert changed == (abs(i - j) > width), j


def test_denoiser_band_with_one_layer():
    """In a one-layer denoiser, inputs at |i - j| <= w (j != i) do not reach output i."""
    torch.manual_seed(0)
    net = DDTDenoiser(3, d_model=8, n_layers=1, n_heads=2, mask_width=3).eval()
    x = torch.randn(1, 20, 3)
    zeros, t = torch.zeros_like(x), torch.tensor([7])
    base = net(zeros, t, x, zeros)
    x2 = x.clone()
    x2[0, 11] += 4.0  # inside the band of token 9
    out = net(zeros, t, x2, zeros)
    assert torch.allclose(out[0, 9], base[0, 9], atol=1e-6)
    x3 = x.clone()
    x3[0, 14] += 4.0  # outside the band of token 9
    assert not torch.allclose(net(zeros, t, x3, zeros)[0, 9], base[0, 9], atol=1e-6)


def test_denoiser_output_shape_and_dtype():
    torch.manual_seed(0)
    net = DDTDenoiser(4, d_model=8, n_layers=2, n_heads=2, mask_width=1).eval()
    x = torch.randn(3, 10, 4)
    out = net(x, torch.tensor([0, 5, 9]), x, torch.zeros_like(x))
    assert out.shape == (3, 10, 4) and out.dtype == torch.float32
    assert torch.isfinite(out).all()


def test_denoiser_depends_on_the_diffusion_step():
    torch.manual_seed(0)
    net = DDTDenoiser(2, d_model=8, n_layers=1, n_heads=2).eval()
    x = torch.randn(1, 12, 2)
    mask = torch.zeros_like(x)
    assert not torch.allclose(net(x, torch.tensor([1]), x, mask),
                              net(x, torch.tensor([400]), x, mask))


def test_sinusoidal_embedding_values():
    emb = sinusoidal_embedding(torch.tensor([0.0, 3.0]), 6)
    assert emb.shape == (2, 6)
    # position 0: every sine is 0 and every cosine is 1
    assert sorted(emb[0].tolist()) == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]


def test_denoiser_pickles_and_rebuilds_its_band():
    torch.manual_seed(0)
    net = DDTDenoiser(3, d_model=8, n_layers=1, n_heads=2, mask_width=2).eval()
    x = torch.randn(2, 9, 3)
    t, mask = torch.tensor([3, 4]), torch.zeros_like(x)
    copy = pickle.loads(pickle.dumps(net))
    assert torch.equal(copy(x, t, x, mask), net(x, t, x, mask))


def test_a_shared_step_gives_the_same_output_on_any_thread_count():
    """Scoring batches share one diffusion step; its embedding is computed
    once, so a batch of 5 windows (a 5-row product, which rounds differently
    on 1 and 2 threads) gives the same output whatever the thread count."""
    if torch.get_num_threads() < 2:
        pytest.skip("needs 2 torch threads")
    torch.manual_seed(0)
    model = DDTDenoiser(n_features=3, d_model=64, n_layers=1, n_heads=4, mask_width=1).eval()
    x = torch.randn(5, 16, 3)
    mask = (torch.rand(5, 16, 3) < 0.25).float()
    t = torch.full((5,), 499)
    before = torch.get_num_threads()
    outputs = []
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            with torch.inference_mode():
                outputs.append(model(x * mask, t, x * (1 - mask), mask))
    finally:
        torch.set_num_threads(before)
    assert torch.equal(outputs[0], outputs[1])
    with torch.inference_mode():
        shared = model.step_embedding(t)
        assert torch.equal(shared, model.step_embedding(t[:1]).expand(5, -1))
        mixed = model.step_embedding(torch.tensor([1, 499]))
    assert not torch.equal(mixed[0], mixed[1])
