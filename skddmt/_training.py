"""The fit loop: epochs over shuffled training windows, a validation loss on
a held-out tail of the training series, early stopping and a history.

Torch only; the estimator passes in tensors, start indices and a seed.
"""

import copy
import time

import numpy as np
import torch

from ._scoring import build_group_masks, training_mask


def _batches(series, starts, window_size, batch_size):
    """Windows of ``series`` starting at ``starts``, ``batch_size`` at a time.

    The starts go to the device once; each batch is gathered there, so no
    index crosses from the host per batch.
    """
    starts = torch.as_tensor(starts, device=series.device)
    offsets = torch.arange(window_size, device=series.device)
    for i in range(0, len(starts), batch_size):
        yield series[starts[i:i + batch_size, None] + offsets]


def _loss(denoiser, diffusion, x0, cfg, generator, group_masks, steps):
    mask = training_mask(denoiser, diffusion, x0, cfg, generator, group_masks)
    return diffusion.loss(denoiser, x0, mask, generator, steps)


def _training_steps(cfg, device):
    """Diffusion steps the loss draws from (None: all), built once per fit."""
    if cfg.timestep_sampling == "scoring":
        return torch.as_tensor(cfg.timesteps.copy(), device=device)
    return None


def validation_loss(denoiser, diffusion, series, starts, window_size, batch_size, cfg, seed):
    """Mean training objective over validation windows, with fixed noise.

    The generator is re-seeded for every call, so the losses of successive
    epochs differ only through the weights.
    """
    generator = torch.Generator(device=series.device).manual_seed(seed)
    group_masks = build_group_masks(window_size, cfg.n_mask_groups, series.device)
    steps = _training_steps(cfg, series.device)
    total = torch.zeros((), device=series.device)
    with torch.inference_mode():
        for x0 in _batches(series, starts, window_size, batch_size):
            total += _loss(denoiser, diffusion, x0, cfg, generator, group_masks, steps) * len(x0)
    return float(total) / max(len(starts), 1)


def fit_loop(denoiser, diffusion, train, train_starts, valid, valid_starts, *,
             window_size, cfg, max_epochs, batch_size, learning_rate, patience, seed,
             windows_per_epoch=None, verbose=0):
    """Train the denoiser in place and return its history.

    Parameters
    ----------
    denoiser, diffusion : nn.Module
        On the training device.
    train : Tensor of shape (n_train, n_features)
        Standardised training part of the series.
    train_starts : ndarray of int
        Start indices of the training windows in ``train``.
    valid : Tensor or None
        Standardised held-out tail, or None.
    valid_starts : ndarray of int or None
    window_size, max_epochs, batch_size, patience : int
    cfg : MaskingConfig
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
        One record per epoch: ``epoch``, ``train_loss``, ``valid_loss``
        (NaN without validation data), ``n_windows`` (training windows seen),
        ``dur`` (seconds).
    """
    rng = np.random.default_rng(seed)
    generator = torch.Generator(device=train.device).manual_seed(seed)
    group_masks = build_group_masks(window_size, cfg.n_mask_groups, train.device)
    steps = _training_steps(cfg, train.device)
    optimizer = torch.optim.AdamW(denoiser.parameters(), lr=learning_rate, weight_decay=1e-4)
    history = []
    best_loss, best_state, bad_epochs = np.inf, None, 0
    bar = None
    if verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=max_epochs, desc="DDMT fit", unit="epoch")
    try:
        for epoch in range(1, max_epochs + 1):
            t0 = time.perf_counter()
            denoiser.train()
            order = train_starts[rng.permutation(len(train_starts))]
            if windows_per_epoch is not None:
                order = order[:windows_per_epoch]
            total = torch.zeros((), device=train.device)
            for x0 in _batches(train, order, window_size, batch_size):
                loss = _loss(denoiser, diffusion, x0, cfg, generator, group_masks, steps)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(denoiser.parameters(), 1.0)
                optimizer.step()
                total += loss.detach() * len(x0)
            train_loss = float(total) / len(order)
            denoiser.eval()
            if valid is not None:
                valid_loss = validation_loss(denoiser, diffusion, valid, valid_starts,
                                             window_size, batch_size, cfg, seed + 1)
                monitor = valid_loss
            else:
                valid_loss, monitor = float("nan"), train_loss
            history.append({"epoch": epoch, "train_loss": train_loss,
                            "valid_loss": valid_loss, "n_windows": len(order),
                            "dur": time.perf_counter() - t0})
            if bar is not None:
                bar.set_postfix(train_loss=f"{train_loss:.4f}", valid_loss=f"{valid_loss:.4f}")
                bar.update(1)
            if not np.isfinite(best_loss):
                improved = bool(np.isfinite(monitor))
            else:
                improved = monitor < best_loss - 1e-4 * abs(best_loss)
            if improved:
                best_loss, bad_epochs = monitor, 0
                best_state = copy.deepcopy(denoiser.state_dict())
            else:
                bad_epochs += 1
                if bad_epochs >= patience:
                    break
    finally:
        if bar is not None:
            bar.close()
    if best_state is not None:
        denoiser.load_state_dict(best_state)
    denoiser.eval()
    return history
