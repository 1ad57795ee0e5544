"""Gaussian diffusion: the noise schedule, the forward process, the training
loss and conditioned (imputation-style) reverse steps.

The denoiser knows nothing about the schedule: this module owns it. All
randomness enters through an explicit ``torch.Generator``.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


def linear_beta_schedule(n_steps, beta_start=1e-4, beta_end=0.05):
    """Linear betas and the cumulative products of ``1 - beta``, in float64.

    Parameters
    ----------
    n_steps : int
        Number of diffusion steps T.
    beta_start, beta_end : float
        First and last beta.

    Returns
    -------
    betas : ndarray of shape (n_steps,)
    alphas_cumprod : ndarray of shape (n_steps,)
        ``alphas_cumprod[t] = prod_{s <= t} (1 - betas[s])``.
    """
    betas = np.linspace(beta_start, beta_end, n_steps, dtype=np.float64)
    alphas_cumprod = np.cumprod(1.0 - betas)
    return betas, alphas_cumprod


def reverse_timesteps(t_start, n_reverse_steps):
    """Evenly spaced timesteps from ``t_start`` down towards 0 (DDIM style).

    Returns at most ``n_reverse_steps`` distinct integers starting at
    ``t_start``; every step down to 0 when ``n_reverse_steps > t_start``
    (full ancestral-length sampling).
    """
    if n_reverse_steps >= t_start + 1:
        return np.arange(t_start, -1, -1, dtype=np.int64)
    ts = np.round(np.linspace(t_start, 0, n_reverse_steps + 1)[:-1]).astype(np.int64)
    return np.unique(ts)[::-1].copy()


@dataclass(frozen=True)
class ReverseConfig:
    """How hidden nodes are rebuilt by the reverse process.

    Attributes
    ----------
    t_start : int
        0-based diffusion step the hidden nodes start from.
    n_reverse_steps : int
        Number of deterministic reverse steps.
    n_samples : int
        Number of noise draws averaged at scoring time.
    """

    t_start: int
    n_reverse_steps: int
    n_samples: int = 1

    @property
    def timesteps(self):
        """The steps the reverse process visits, see :func:`reverse_timesteps`."""
        return reverse_timesteps(self.t_start, self.n_reverse_steps)


class GaussianDiffusion(nn.Module):
    """Owns a linear noise schedule and runs training and reconstruction.

    Reconstruction is conditioned on the observed window: the nodes hidden by
    ``mask`` are noised to ``t_start`` and denoised back with deterministic
    DDIM steps while the visible nodes are given to the denoiser as clean
    context. Nodes hidden by the mask are therefore rebuilt from their
    context, never copied from their own value.

    Parameters
    ----------
    n_steps : int
        Number of diffusion steps T.
    beta_start, beta_end : float
        Linear beta schedule bounds.
    prediction : {'x0', 'epsilon'}
        What the denoiser predicts.
    enabled : bool
        If False, no noise is used: the denoiser sees zeros at the hidden
        nodes and step 0, i.e. it is a plain masked reconstructor (ablation).
    clip : float
        Bound on reconstructed values (in standardised units).
    autocast_dtype : torch.dtype or None
        If set (``torch.bfloat16``), the denoiser runs under
        ``torch.autocast`` with this dtype; its output is cast back to
        float32, so the schedule arithmetic, losses and errors stay in float32.
    """

    def __init__(self, n_steps=500, beta_start=1e-4, beta_end=0.05,
                 prediction="x0", enabled=True, clip=10.0, autocast_dtype=None):
        super().__init__()
        if prediction not in ("x0", "epsilon"):
            raise ValueError(f"prediction must be 'x0' or 'epsilon', got {prediction!r}.")
        self.n_steps = int(n_steps)
        self.prediction = prediction
        self.enabled = bool(enabled)
        self.clip = float(clip)
        self.autocast_dtype = autocast_dtype
        betas, abar = linear_beta_schedule(n_steps, beta_start, beta_end)
        self.register_buffer("betas", torch.tensor(betas, dtype=torch.float32))
        self.register_buffer("sqrt_abar", torch.tensor(np.sqrt(abar), dtype=torch.float32))
        self.register_buffer(
            "sqrt_one_minus_abar", torch.tensor(np.sqrt(1.0 - abar), dtype=torch.float32)
        )

    def _coef(self, buf, t):
        return buf[t].view(-1, 1, 1)

    def q_sample(self, x0, t, noise):
        """Forward process: ``sqrt(abar_t) x0 + sqrt(1 - abar_t) noise``."""
        return self._coef(self.sqrt_abar, t) * x0 + self._coef(self.sqrt_one_minus_abar, t) * noise

    def _to_x0(self, x_t, t, out):
        if self.prediction == "x0" or not self.enabled:
            x0 = out
        else:
            x0 = (x_t - self._coef(self.sqrt_one_minus_abar, t) * out) / self._coef(self.sqrt_abar, t)
        return x0.clamp(-self.clip, self.clip)

    def _denoise(self, denoiser, x_t, t, x0, mask):
        cond = x0 * (1.0 - mask)
        if self.autocast_dtype is None:
            return denoiser(x_t * mask, t, cond, mask)
        with torch.autocast(device_type=x0.device.type, dtype=self.autocast_dtype):
            out = denoiser(x_t * mask, t, cond, mask)
        return out.float()

    def latents(self, denoiser, x0, missing=None):
        """The denoiser's latent of every token of the clean windows ``x0``,
        all of them visible (empty mask, step 0) but the ``missing`` elements
        (a bool Tensor like ``x0``, optional), which are hidden: shape
        (batch, length, d_model), float32."""
        visible = torch.zeros_like(x0)
        mask = visible if missing is None else missing.to(x0.dtype)
        cond = x0 if missing is None else x0 * (1.0 - mask)
        t = torch.zeros(x0.shape[0], dtype=torch.long, device=x0.device)
        if self.autocast_dtype is None:
            return denoiser.encode(visible, t, cond, mask)
        with torch.autocast(device_type=x0.device.type, dtype=self.autocast_dtype):
            out = denoiser.encode(visible, t, cond, mask)
        return out.float()

    def loss(self, denoiser, x0, mask, generator, timesteps=None, weight=None):
        """Mean squared error of the denoiser's target over the hidden nodes.

        Parameters
        ----------
        denoiser : nn.Module
            Called as ``denoiser(x_t, t, cond, mask)``.
        x0 : Tensor of shape (batch, length, features)
            Clean windows.
        mask : Tensor of the same shape
            1 where a node is hidden (to be reconstructed), 0 where visible.
        generator : torch.Generator
            Source of timesteps and noise.
        timesteps : LongTensor of shape (k,), optional
            Steps to train at, one drawn uniformly per window; by default
            every step ``0 .. n_steps - 1``.
        weight : Tensor like ``mask``, optional
            Which hidden nodes the loss averages over (0 for a missing
            value); by default ``mask``.
        """
        b = x0.shape[0]
        if self.enabled:
            if timesteps is None:
                t = torch.randint(0, self.n_steps, (b,), generator=generator, device=x0.device)
            else:
                pick = torch.randint(0, len(timesteps), (b,), generator=generator,
                                     device=x0.device)
                t = timesteps[pick]
            noise = torch.randn(x0.shape, generator=generator, device=x0.device, dtype=x0.dtype)
            x_t = self.q_sample(x0, t, noise)
        else:
            t = torch.zeros(b, dtype=torch.long, device=x0.device)
            noise = x_t = torch.zeros_like(x0)
        out = self._denoise(denoiser, x_t, t, x0, mask)
        target = noise if (self.enabled and self.prediction == "epsilon") else x0
        weight = mask if weight is None else weight
        sq = (out - target).square() * weight
        return sq.sum() / weight.sum().clamp_min(1.0)

    def reconstruct(self, denoiser, x0, mask, t_start, timesteps, generator):
        """Rebuild the hidden nodes of ``x0`` from the visible ones.

        Parameters
        ----------
        denoiser : nn.Module
        x0 : Tensor of shape (batch, length, features)
            Observed windows.
        mask : Tensor of the same shape
            1 where a node is hidden.
        t_start : int
            Noise level (0-based step index) the hidden nodes start from.
        timesteps : sequence of int
            Decreasing timesteps of the reverse steps, starting at ``t_start``.
        generator : torch.Generator
            Source of the starting noise.

        Returns
        -------
        x0_hat : Tensor of the same shape
            The reconstruction (visible nodes are returned as observed).
        """
        b = x0.shape[0]
        if not self.enabled:
            t = torch.zeros(b, dtype=torch.long, device=x0.device)
            x0_hat = self._to_x0(None, t, self._denoise(denoiser, torch.zeros_like(x0), t, x0, mask))
            return torch.where(mask.bool(), x0_hat, x0)
        noise = torch.randn(x0.shape, generator=generator, device=x0.device, dtype=x0.dtype)
        t = torch.full((b,), int(t_start), dtype=torch.long, device=x0.device)
        x_t = self.q_sample(x0, t, noise)
        steps = list(timesteps)
        for i, step in enumerate(steps):
            t = torch.full((b,), int(step), dtype=torch.long, device=x0.device)
            x0_hat = self._to_x0(x_t, t, self._denoise(denoiser, x_t, t, x0, mask))
            if i + 1 < len(steps):
                eps = (x_t - self._coef(self.sqrt_abar, t) * x0_hat) / self._coef(
                    self.sqrt_one_minus_abar, t
                )
                t_next = torch.full((b,), int(steps[i + 1]), dtype=torch.long, device=x0.device)
                x_t = self._coef(self.sqrt_abar, t_next) * x0_hat + self._coef(
                    self.sqrt_one_minus_abar, t_next
                ) * eps
        return torch.where(mask.bool(), x0_hat, x0)
