"""The reconstruction passes: windows rebuilt under masks, and the squared
error of every node (pass 1: interleaved masks; pass 2, with ADNM: the
suspects of pass 1 hidden again with their neighbourhoods).

Torch only.
"""

import torch

from ._masks import adnm_mask


def masked_errors(denoiser, diffusion, windows, masks, reverse, generator):
    """Squared errors of ``windows`` rebuilt under each of ``masks``.

    ``masks`` has shape (n_masks, batch or 1, length, features or 1); all
    masks and noise draws run as one stacked batch. Returns the mean over
    noise draws of the masked squared errors, summed over masks.
    """
    n_masks = masks.shape[0]
    b, length, n_features = windows.shape
    reps = n_masks * reverse.n_samples
    x = windows.unsqueeze(0).expand(reps, b, length, n_features).reshape(-1, length, n_features)
    m = masks.expand(n_masks, b, length, n_features)
    m = m.unsqueeze(0).expand(reverse.n_samples, *m.shape).reshape(-1, length, n_features)
    rec = diffusion.reconstruct(denoiser, x, m, reverse.t_start, reverse.timesteps, generator)
    err = ((rec - x).square() * m).view(reverse.n_samples, n_masks, b, length, n_features)
    return err.mean(dim=0).sum(dim=0)


def node_errors(denoiser, diffusion, windows, masking, reverse, generator, group_masks,
                missing=None):
    """Squared reconstruction error of every node of every window.

    Pass 1 rebuilds each node with itself hidden (the interleaved masks:
    whole timestamps, or single elements in the element mode). With ADNM,
    pass 2 hides the suspects of pass 1 with their neighbourhoods and
    rebuilds them from the remaining context; their error is the one of
    pass 2. Missing elements are hidden in every pass, are never suspects,
    and get an error of 0.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
    windows : Tensor of shape (batch, length, features)
    masking : MaskingConfig
    reverse : ReverseConfig
    generator : torch.Generator
    group_masks : Tensor of shape (n_mask_groups, 1, length, 1 or features)
        The interleaved masks (timestamp or element mode), built once per
        scoring call.
    missing : bool Tensor of shape (batch, length, features), optional
        Elements with no value (their entry in ``windows`` is ignored).

    Returns
    -------
    err : Tensor of shape (batch, length, features)
    """
    if missing is not None:
        group_masks = torch.maximum(group_masks, missing.unsqueeze(0).to(group_masks.dtype))
    err = masked_errors(denoiser, diffusion, windows, group_masks, reverse, generator)
    if missing is not None:
        err = err.masked_fill(missing, 0.0)
    if masking.adnm:
        valid = None if missing is None else ~missing
        dyn = adnm_mask(err, masking.adnm_ratio, masking.adnm_max_radius, valid=valid)
        hide = dyn if missing is None else torch.maximum(dyn, missing.to(dyn.dtype))
        err2 = masked_errors(denoiser, diffusion, windows, hide.unsqueeze(0), reverse, generator)
        err = torch.where(dyn.bool(), err2, err)
    return err
