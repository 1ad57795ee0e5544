"""skddmt._reconstruction: windows rebuilt under masks, node errors."""

import torch

from skddmt._diffusion import GaussianDiffusion, ReverseConfig
from skddmt._masks import MaskingConfig, adnm_mask, build_group_masks
from skddmt._model import DDTDenoiser
from skddmt._reconstruction import masked_errors, node_errors

REVERSE = ReverseConfig(t_start=99, n_reverse_steps=1)


def _model(n_features=2):
    torch.manual_seed(0)
    return (DDTDenoiser(n_features, d_model=8, n_layers=1, n_heads=2).eval(),
            GaussianDiffusion(100, clip=10.0))


def _windows():
    return torch.randn(3, 16, 2, generator=torch.Generator().manual_seed(1))


def test_masked_errors_are_zero_where_nothing_is_hidden():
    denoiser, diffusion = _model()
    masks = build_group_masks(16, 4, "cpu")
    with torch.inference_mode():
        err = masked_errors(denoiser, diffusion, _windows(), masks, REVERSE,
                            torch.Generator().manual_seed(0))
    assert err.shape == (3, 16, 2)
    # the four interleaved masks together hide every node once: each error is positive
    assert (err > 0).all()
    with torch.inference_mode():
        one = masked_errors(denoiser, diffusion, _windows(), masks[:1], REVERSE,
                            torch.Generator().manual_seed(0))
    hidden = masks[0, 0, :, 0].bool()
    assert (one[:, ~hidden] == 0).all() and (one[:, hidden] > 0).all()


def test_node_errors_without_adnm_is_the_interleaved_pass():
    denoiser, diffusion = _model()
    masks = build_group_masks(16, 4, "cpu")
    cfg = MaskingConfig(n_mask_groups=4, adnm=False, adnm_ratio=0.1, adnm_max_radius=2)
    with torch.inference_mode():
        got = node_errors(denoiser, diffusion, _windows(), cfg, REVERSE,
                          torch.Generator().manual_seed(0), masks)
        want = masked_errors(denoiser, diffusion, _windows(), masks, REVERSE,
                             torch.Generator().manual_seed(0))
    assert torch.equal(got, want)


def test_adnm_pass_replaces_the_errors_of_the_suspects_only():
    denoiser, diffusion = _model()
    masks = build_group_masks(16, 4, "cpu")
    cfg = MaskingConfig(n_mask_groups=4, adnm=True, adnm_ratio=0.1, adnm_max_radius=2)
    with torch.inference_mode():
        first = masked_errors(denoiser, diffusion, _windows(), masks, REVERSE,
                              torch.Generator().manual_seed(0))
        both = node_errors(denoiser, diffusion, _windows(), cfg, REVERSE,
                           torch.Generator().manual_seed(0), masks)
    suspects = adnm_mask(first, 0.1, 2).bool()
    assert suspects.any() and not suspects.all()
    assert torch.equal(both[~suspects], first[~suspects])
    assert not torch.equal(both[suspects], first[suspects])
