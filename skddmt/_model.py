"""The DDT denoiser: a Transformer encoder over time tokens with a
diffusion-step embedding and neighbour-masked self-attention.

Torch only; knows nothing of the noise schedule or of scikit-learn.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from ._masks import neighbour_band


def sinusoidal_embedding(positions, dim):
    """Sinusoidal embedding of integer positions or steps.

    Parameters
    ----------
    positions : Tensor of shape (n,)
    dim : int

    Returns
    -------
    Tensor of shape (n, dim)
    """
    half = dim // 2
    freqs = torch.exp(
        -math.log(10000.0) * torch.arange(half, device=positions.device, dtype=torch.float32) / half
    )
    args = positions.to(torch.float32)[:, None] * freqs[None, :]
    emb = torch.cat([torch.sin(args), torch.cos(args)], dim=1)
    if dim % 2:
        emb = F.pad(emb, (0, 1))
    return emb


class NeighbourMaskedAttention(nn.Module):
    """Multi-head self-attention that accepts a boolean "allowed" mask."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}.")
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, h, allowed=None):
        b, length, d = h.shape
        qkv = self.qkv(h).view(b, length, 3, self.n_heads, d // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.proj(out.transpose(1, 2).reshape(b, length, d))


class EncoderLayer(nn.Module):
    """Pre-norm Transformer encoder layer with neighbour-masked attention."""

    def __init__(self, d_model, n_heads, dim_feedforward):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = NeighbourMaskedAttention(d_model, n_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(
            nn.Linear(d_model, dim_feedforward), nn.GELU(), nn.Linear(dim_feedforward, d_model)
        )

    def forward(self, h, allowed=None):
        h = h + self.attn(self.norm1(h), allowed)
        return h + self.ff(self.norm2(h))


class DDTDenoiser(nn.Module):
    """Denoising Diffusion Transformer over windows of a multivariate series.

    Each timestamp is a token. Its input is the noisy value of the hidden
    nodes, the clean value of the visible nodes and the mask itself
    (``3 * n_features`` numbers), projected to ``d_model``; sinusoidal
    positions and an embedding of the diffusion step are added.

    Parameters
    ----------
    n_features : int
    d_model : int
    n_layers : int
    n_heads : int
    mask_width : int
        Half-width of the attention band: token ``i`` does not attend to
        tokens ``j`` with ``|i - j| <= mask_width``; 0 disables the band.
    dim_feedforward : int, optional
        Hidden size of the feed-forward blocks (default ``4 * d_model``).
    """

    def __init__(self, n_features, d_model=64, n_layers=2, n_heads=4, mask_width=0,
                 dim_feedforward=None):
        super().__init__()
        self.n_features = n_features
        self.d_model = d_model
        self.mask_width = int(mask_width)
        dim_feedforward = dim_feedforward or 4 * d_model
        self.input_proj = nn.Linear(3 * n_features, d_model)
        self.step_mlp = nn.Sequential(
            nn.Linear(d_model, d_model), nn.GELU(), nn.Linear(d_model, d_model)
        )
        self.layers = nn.ModuleList(
            [EncoderLayer(d_model, n_heads, dim_feedforward) for _ in range(n_layers)]
        )
        self.norm = nn.LayerNorm(d_model)
        self.output_proj = nn.Linear(d_model, n_features)
        self._cache = {}

    def _static(self, length, device):
        """Positional encoding and attention band, built once per length."""
        key = (length, str(device))
        if key not in self._cache:
            pos = sinusoidal_embedding(torch.arange(length, device=device), self.d_model)
            self._cache[key] = (pos, neighbour_band(length, self.mask_width, device))
        return self._cache[key]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state

    def forward(self, x_t, t, cond, mask):
        """Predict the target (x0 or noise) of every node: the output
        projection of :meth:`encode`.

        Parameters
        ----------
        x_t : Tensor of shape (batch, length, n_features)
            Noisy values at hidden nodes (zeros at visible ones).
        t : LongTensor of shape (batch,)
            Diffusion step of each window.
        cond : Tensor of shape (batch, length, n_features)
            Clean values at visible nodes (zeros at hidden ones).
        mask : Tensor of shape (batch, length, n_features)
            1 at hidden nodes.
        """
        return self.output_proj(self.encode(x_t, t, cond, mask))

    def step_embedding(self, t):
        """The embedding of the diffusion step of each window, shape (batch, d_model).

        When every window of the batch has the same step (scoring), it is
        computed once and shared: a window's output then depends neither on
        how many windows share its batch nor on the number of torch threads
        (a matrix product of a few rows rounds differently on another thread
        count, which would make parallel scores differ from serial ones).
        """
        if len(t) > 1 and bool((t == t[0]).all()):
            one = self.step_mlp(sinusoidal_embedding(t[:1], self.d_model))
            return one.expand(len(t), -1)
        return self.step_mlp(sinusoidal_embedding(t, self.d_model))

    def encode(self, x_t, t, cond, mask):
        """The last hidden state of every token, after the final norm.

        Same arguments as :meth:`forward`; returns a Tensor of shape
        (batch, length, d_model): the denoiser's latent space.
        """
        length = x_t.shape[1]
        pos, allowed = self._static(length, x_t.device)
        h = self.input_proj(torch.cat([x_t, cond, mask.expand_as(x_t)], dim=-1))
        step = self.step_embedding(t)
        h = h + pos.to(h.dtype) + step[:, None, :].to(h.dtype)
        for layer in self.layers:
            h = layer(h, allowed)
        return self.norm(h)
