"""The noise schedule, the forward process and conditioned reconstruction."""

import numpy as np
import pytest
import torch

from skddmt._diffusion import GaussianDiffusion, linear_beta_schedule, reverse_timesteps


def test_linear_schedule_matches_closed_form():
    """Betas are linear from 1e-4 to 0.05 and alpha_bar is the product of 1 - beta."""
    betas, abar = linear_beta_schedule(500, 1e-4, 0.05)
    assert betas[0] == pytest.approx(1e-4)
    assert betas[-1] == pytest.approx(0.05)
    assert np.allclose(np.diff(betas), (0.05 - 1e-4) / 499)
    assert abar[0] == pytest.approx(1 - 1e-4)
    assert abar[9] == pytest.approx(np.prod(1 - (1e-4 + np.arange(10) * (0.05 - 1e-4) / 499)))
    # log alpha_bar_T = sum log(1 - beta_s): about -12.6 for the paper's schedule
    assert np.log(abar[-1]) == pytest.approx(np.sum(np.log1p(-betas)))
    assert abar[-1] < 1e-5


def test_schedule_buffers_are_float32_copies():
    """The module stores sqrt(abar) and sqrt(1 - abar) as float32 buffers."""
    diff = GaussianDiffusion(100, 1e-4, 0.02)
    _, abar = linear_beta_schedule(100, 1e-4, 0.02)
    assert diff.sqrt_abar.dtype == torch.float32
    np.testing.assert_allclose(diff.sqrt_abar.numpy(), np.sqrt(abar), rtol=1e-6)
    np.testing.assert_allclose(diff.sqrt_one_minus_abar.numpy(), np.sqrt(1 - abar), rtol=1e-5)


def test_q_sample_closed_form():
    """x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps."""
    diff = GaussianDiffusion(50)
    x0 = torch.randn(3, 4, 2, generator=torch.Generator().manual_seed(0))
    eps = torch.randn(3, 4, 2, generator=torch.Generator().manual_seed(1))
    t = torch.tensor([0, 10, 49])
    _, abar = linear_beta_schedule(50)
    expected = (np.sqrt(abar[[0, 10, 49]])[:, None, None] * x0.numpy()
                + np.sqrt(1 - abar[[0, 10, 49]])[:, None, None] * eps.numpy())
    np.testing.assert_allclose(diff.q_sample(x0, t, eps).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_reverse_timesteps():
    """Reverse steps start at t_start, decrease, and never exceed the request."""
    assert reverse_timesteps(499, 1).tolist() == [499]
    ts = reverse_timesteps(499, 4)
    assert ts[0] == 499 and len(ts) == 4 and np.all(np.diff(ts) < 0) and ts[-1] > 0
    assert reverse_timesteps(2, 10).tolist() == [2, 1, 0]
    assert len(reverse_timesteps(499, 500)) == 500  # full-length sampling stays possible


class _Oracle(torch.nn.Module):
    """Predicts a fixed x0 and records what it was given."""

    def __init__(self, value):
        super().__init__()
        self.value = value
        self.seen = []

    def forward(self, x_t, t, cond, mask):
        self.seen.append((x_t.clone(), cond.clone(), mask.clone()))
        return torch.full_like(x_t, self.value)


@pytest.mark.parametrize("enabled", [True, False])
def test_reconstruct_hides_masked_nodes_and_keeps_visible(enabled):
    """Hidden nodes never reach the denoiser as clean values; visible ones are returned as is."""
    diff = GaussianDiffusion(500, enabled=enabled)
    x0 = torch.arange(24, dtype=torch.float32).view(1, 12, 2) + 100.0
    mask = torch.zeros_like(x0)
    mask[:, 3:6] = 1
    oracle = _Oracle(0.5)
    rec = diff.reconstruct(oracle, x0, mask, 499, reverse_timesteps(499, 3),
                           torch.Generator().manual_seed(0))
    assert torch.all(rec[mask.bool()] == 0.5)
    assert torch.equal(rec[~mask.bool()], x0[~mask.bool()])
    for x_t, cond, _ in oracle.seen:
        assert torch.all(cond[mask.bool()] == 0)
        assert torch.all(x_t[~mask.bool()] == 0)
        # from step T the hidden values carry (almost) nothing of x0 ~ 100
        assert x_t[mask.bool()].abs().max() < 20


def test_loss_counts_hidden_nodes_only():
    """The loss is the mean squared error over hidden nodes."""
    diff = GaussianDiffusion(10, enabled=False)
    x0 = torch.ones(2, 5, 3)
    mask = torch.zeros_like(x0)
    mask[0, 0, 0] = 1
    loss = diff.loss(_Oracle(3.0), x0, mask, torch.Generator().manual_seed(0))
    assert float(loss) == pytest.approx(4.0)


class _RecordingDenoiser(torch.nn.Module):
    """Predicts zeros and records the diffusion steps it is called at."""

    def __init__(self):
        super().__init__()
        self.steps = []

    def forward(self, x_t, t, cond, mask):
        self.steps.append(t.clone())
        return torch.zeros_like(x_t)


def test_loss_draws_steps_from_the_given_set_or_from_all():
    diff = GaussianDiffusion(100)
    x0 = torch.randn(256, 8, 2, generator=torch.Generator().manual_seed(0))
    mask = torch.ones_like(x0)
    rec = _RecordingDenoiser()
    diff.loss(rec, x0, mask, torch.Generator().manual_seed(1), torch.tensor([99, 60]))
    assert set(rec.steps[-1].tolist()) == {99, 60}
    diff.loss(rec, x0, mask, torch.Generator().manual_seed(1))
    drawn = rec.steps[-1]
    assert drawn.min() >= 0 and drawn.max() <= 99 and len(set(drawn.tolist())) > 50


def test_bfloat16_autocast_returns_float32():
    diff = GaussianDiffusion(100, autocast_dtype=torch.bfloat16)
    lin = torch.nn.Linear(2, 2)

    class Den(torch.nn.Module):
        def forward(self, x_t, t, cond, mask):
            return lin(x_t + cond)

    x0 = torch.randn(4, 8, 2)
    out = diff._denoise(Den(), x0, torch.zeros(4, dtype=torch.long), x0, torch.ones_like(x0))
    assert out.dtype == torch.float32
    with torch.no_grad():
        exact = lin(x0)
    assert not torch.equal(out, exact) and torch.allclose(out, exact, atol=0.1)
