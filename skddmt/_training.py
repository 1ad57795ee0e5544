"""Training: the loss of a batch, and the ladder ``fit_loop`` -> epoch ->
step (as skorch has it), with a validation loss on held-out tails, early
stopping and a history.

Torch and numpy only; the estimator passes in tensors, start indices and a
seed.
"""

import copy
import time
import warnings

import numpy as np
import torch

from ._masks import adnm_mask, gap_mask
from ._windows import gather_windows


def training_mask(denoiser, diffusion, x0, masking, t_start, generator, group_masks,
                  missing=None):
    """Mask for one training batch: a randomly chosen interleaved mask per
    window (or random gaps, with ``masking.training='gaps'``), then (with
    ADNM) the neighbourhoods of its worst-rebuilt nodes.

    The ADNM part comes from the model's own errors: a no-grad one-step
    reconstruction, from ``t_start``, of the interleaved-masked batch.
    ``group_masks`` are the stacked interleaved masks of
    :meth:`~skddmt._masks.MaskingConfig.group_masks`, built once per fit
    rather than per batch. ``missing`` (a bool Tensor like ``x0``,
    optional) marks elements with no value: always hidden, never suspects.
    """
    b, length, n_features = x0.shape
    k = masking.n_mask_groups
    if masking.training == "gaps":
        width = n_features if masking.mode == "element" else 1
        mask = gap_mask((b, length, width), k, generator, x0.device).expand(b, length, n_features)
    else:
        phase = torch.randint(0, k, (b,), generator=generator, device=x0.device)
        mask = group_masks[(k - phase) % k].view(b, length, -1).expand(b, length, n_features)
    valid = mask.bool()
    if missing is not None:
        mask = torch.maximum(mask, missing.to(mask.dtype))
        valid = valid & ~missing
    if not masking.adnm:
        return mask
    with torch.no_grad():
        rec = diffusion.reconstruct(denoiser, x0, mask, t_start, [t_start], generator)
        err = (rec - x0).square()
        dyn = adnm_mask(err, masking.adnm_ratio, masking.adnm_max_radius, valid=valid)
    return torch.maximum(mask, dyn)


def training_timesteps(timestep_sampling, reverse, device):
    """Diffusion steps the loss draws from: None (all of them) with
    ``'uniform'``, the steps the reverse process visits with ``'scoring'``."""
    if timestep_sampling == "scoring":
        return torch.as_tensor(reverse.timesteps.copy(), device=device)
    return None


class Objective:
    """The training objective of a batch of windows: its mask, then the
    diffusion loss of the hidden nodes.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
    masking : MaskingConfig
    reverse : ReverseConfig
        ``t_start`` is where the ADNM part of the training mask rebuilds from.
    timestep_sampling : {'uniform', 'scoring'}
    window_size, batch_size : int
    device : torch.device
    missing : bool, default=False
        Whether the windows may hold NaN (missing values): those are hidden
        from the denoiser and left out of the loss.
    """

    def __init__(self, denoiser, diffusion, *, masking, reverse, timestep_sampling, window_size,
                 batch_size, device, missing=False):
        self.denoiser, self.diffusion = denoiser, diffusion
        self.masking, self.t_start = masking, reverse.t_start
        self.window_size, self.batch_size = window_size, batch_size
        self.group_masks = masking.group_masks(window_size, denoiser.n_features, device)
        self.steps = training_timesteps(timestep_sampling, reverse, device)
        self.offsets = torch.arange(window_size, device=device)
        self.missing = missing

    def batches(self, series, starts):
        """Windows of ``series`` starting at ``starts``, ``batch_size`` at a time.

        The starts go to the device once; each batch is gathered there, so
        no index crosses from the host per batch.
        """
        starts = torch.as_tensor(starts, device=series.device)
        for i in range(0, len(starts), self.batch_size):
            yield gather_windows(series, starts[i:i + self.batch_size], self.offsets)[1]

    def loss(self, x0, generator):
        """Mean loss of the batch ``x0`` (a scalar tensor)."""
        missing = torch.isnan(x0) if self.missing else None
        if missing is not None and not missing.any():
            missing = None
        if missing is not None:
            x0 = x0.masked_fill(missing, 0.0)
        mask = training_mask(self.denoiser, self.diffusion, x0, self.masking, self.t_start,
                             generator, self.group_masks, missing)
        weight = None if missing is None else mask * ~missing
        return self.diffusion.loss(self.denoiser, x0, mask, generator, self.steps, weight)


def validation_loss(objective, series, starts, seed):
    """Mean training objective over validation windows, with fixed noise.

    The generator is re-seeded for every call, so the losses of successive
    epochs differ only through the weights.
    """
    generator = torch.Generator(device=series.device).manual_seed(seed)
    total = torch.zeros((), device=series.device)
    with torch.inference_mode():
        for x0 in objective.batches(series, starts):
            total += objective.loss(x0, generator) * len(x0)
    return float(total) / max(len(starts), 1)


def train_step(objective, optimizer, x0, generator):
    """One optimiser step on the batch ``x0``; returns its (detached) loss."""
    loss = objective.loss(x0, generator)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(objective.denoiser.parameters(), 1.0)
    optimizer.step()
    return loss.detach()


def train_epoch(objective, optimizer, series, order, generator):
    """One pass over the training windows starting at ``order``; returns the
    mean training loss."""
    objective.denoiser.train()
    total = torch.zeros((), device=series.device)
    for x0 in objective.batches(series, order):
        total += train_step(objective, optimizer, x0, generator) * len(x0)
    objective.denoiser.eval()
    return float(total) / len(order)


class EarlyStopping:
    """Stop when the monitored loss has not improved (by more than 1e-4 of
    its best value) for ``patience`` epochs; keeps the best weights."""

    def __init__(self, patience):
        self.patience = patience
        self.best_loss, self.best_state, self.bad_epochs = np.inf, None, 0

    def update(self, monitor, module):
        """Record an epoch's monitored loss; True when training should stop."""
        if not np.isfinite(self.best_loss):
            improved = bool(np.isfinite(monitor))
        else:
            improved = monitor < self.best_loss - 1e-4 * abs(self.best_loss)
        if improved:
            self.best_loss, self.bad_epochs = monitor, 0
            self.best_state = copy.deepcopy(module.state_dict())
            return False
        self.bad_epochs += 1
        return self.bad_epochs >= self.patience

    def restore(self, module):
        """Load the best weights seen into ``module`` (if any epoch was finite)."""
        if self.best_state is not None:
            module.load_state_dict(self.best_state)


def _warn_interrupted(epoch, n_complete):
    kept = (f"the best weights of the {n_complete} complete epoch"
            f"{'' if n_complete == 1 else 's'} are kept" if n_complete
            else "no epoch was complete, so the weights are those trained so far")
    warnings.warn(
        f"fit was interrupted (KeyboardInterrupt) in epoch {epoch}: training stopped, {kept}, "
        "and the model is being calibrated; press Ctrl-C again to abort.", UserWarning,
        stacklevel=3)


def fit_loop(objective, train, train_starts, valid, valid_starts, *, max_epochs,
             learning_rate, patience, seed, windows_per_epoch=None, verbose=0):
    """Train the denoiser of ``objective`` in place and return its history.

    Parameters
    ----------
    objective : Objective
        The denoiser, diffusion and masking, on the training device.
    train : Tensor of shape (n_train, n_features)
        Standardised training part of the series.
    train_starts : ndarray of int
        Start indices of the training windows in ``train``.
    valid : Tensor or None
        Standardised held-out tail, or None.
    valid_starts : ndarray of int or None
    max_epochs, patience : int
    learning_rate : float
    seed : int
        Seeds the shuffling, the noise and the validation noise.
    windows_per_epoch : int or None
        Windows drawn at random, without replacement, for each epoch (a new
        draw every epoch); None uses every window of ``train_starts``.
    verbose : int
        If > 0, show a progress bar.

    Returns
    -------
    history : list of dict
        One record per complete epoch: ``epoch``, ``train_loss``,
        ``valid_loss`` (NaN without validation data), ``n_windows`` (training
        windows seen), ``dur`` (seconds).

    Notes
    -----
    A ``KeyboardInterrupt`` (Ctrl-C) stops training with a warning, as if
    early stopping had fired: the best weights of the complete epochs are
    restored and the history ends with the last complete epoch, so the
    caller can go on (``fit`` calibrates the model). A second Ctrl-C, later,
    is not caught here and aborts the caller.
    """
    denoiser = objective.denoiser
    rng = np.random.default_rng(seed)
    generator = torch.Generator(device=train.device).manual_seed(seed)
    optimizer = torch.optim.AdamW(denoiser.parameters(), lr=learning_rate, weight_decay=1e-4)
    stopping = EarlyStopping(patience)
    history = []
    bar = None
    if verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=max_epochs, desc="DDMT fit", unit="epoch")
    epoch = 0
    try:
        for epoch in range(1, max_epochs + 1):
            t0 = time.perf_counter()
            order = train_starts[rng.permutation(len(train_starts))]
            if windows_per_epoch is not None:
                order = order[:windows_per_epoch]
            train_loss = train_epoch(objective, optimizer, train, order, generator)
            if valid is not None:
                valid_loss = validation_loss(objective, valid, valid_starts, seed + 1)
                monitor = valid_loss
            else:
                valid_loss, monitor = float("nan"), train_loss
            history.append({"epoch": epoch, "train_loss": train_loss,
                            "valid_loss": valid_loss, "n_windows": len(order),
                            "dur": time.perf_counter() - t0})
            if bar is not None:
                bar.set_postfix(train_loss=f"{train_loss:.4f}", valid_loss=f"{valid_loss:.4f}")
                bar.update(1)
            if stopping.update(monitor, denoiser):
                break
    except KeyboardInterrupt:
        _warn_interrupted(epoch, len(history))
    finally:
        if bar is not None:
            bar.close()
    stopping.restore(denoiser)
    denoiser.eval()
    return history
