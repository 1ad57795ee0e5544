"""skddmt._training: the objective, the step / epoch / fit_loop ladder and
early stopping."""

import numpy as np
import pytest
import torch

from skddmt._diffusion import GaussianDiffusion, ReverseConfig
from skddmt._masks import MaskingConfig
from skddmt._model import DDTDenoiser
from skddmt._training import (EarlyStopping, Objective, fit_loop, train_epoch, train_step,
                              training_mask, training_timesteps, validation_loss)
from skddmt._windows import window_starts

from .conftest import periodic_series, tiny_detector

W = 16


def _objective(adnm=True, timestep_sampling="uniform"):
    torch.manual_seed(0)
    denoiser = DDTDenoiser(3, d_model=8, n_layers=1, n_heads=2, mask_width=1)
    diffusion = GaussianDiffusion(100, clip=10.0)
    masking = MaskingConfig(n_mask_groups=4, adnm=adnm, adnm_ratio=0.1, adnm_max_radius=2)
    return Objective(denoiser, diffusion, masking=masking,
                     reverse=ReverseConfig(t_start=99, n_reverse_steps=3),
                     timestep_sampling=timestep_sampling, window_size=W, batch_size=8,
                     device=torch.device("cpu"))


def _series(n=200, seed=0):
    return torch.as_tensor(periodic_series(n, seed=seed), dtype=torch.float32)


def test_training_timesteps():
    reverse = ReverseConfig(t_start=99, n_reverse_steps=3)
    assert training_timesteps("uniform", reverse, "cpu") is None
    steps = training_timesteps("scoring", reverse, "cpu")
    assert steps.tolist() == reverse.timesteps.tolist() and steps.tolist()[0] == 99


@pytest.mark.parametrize("adnm", [False, True])
def test_training_mask_hides_an_interleaved_group_per_window(adnm):
    obj = _objective(adnm=adnm)
    x0 = next(obj.batches(_series(), window_starts(200, W, 1)))
    mask = training_mask(obj.denoiser, obj.diffusion, x0, obj.masking, obj.t_start,
                         torch.Generator().manual_seed(0), obj.group_masks)
    assert mask.shape == x0.shape
    for b in range(len(x0)):
        hidden = mask[b, :, 0].bool()
        # some group g hides every 4th timestamp of the window; ADNM only adds nodes
        groups = [g for g in range(4) if hidden[torch.arange(g, W, 4)].all()]
        assert groups, b
        if not adnm:
            assert int(hidden.sum()) == W // 4
            assert (mask[b] == mask[b, :, :1]).all()   # whole timestamps
    if adnm:
        assert int(mask.sum()) > len(x0) * (W // 4) * 3


def test_batches_gather_the_windows_in_order():
    obj = _objective()
    series = _series()
    starts = np.array([0, 5, 100, 184, 3, 7, 9, 11, 13])
    batches = list(obj.batches(series, starts))
    assert [len(b) for b in batches] == [8, 1]
    got = torch.cat(batches)
    for k, s in enumerate(starts):
        assert torch.equal(got[k], series[s:s + W])


def test_train_step_moves_the_weights_and_returns_the_batch_loss():
    obj = _objective()
    optimizer = torch.optim.AdamW(obj.denoiser.parameters(), lr=1e-2)
    before = [p.detach().clone() for p in obj.denoiser.parameters()]
    x0 = next(obj.batches(_series(), window_starts(200, W, 1)))
    loss = train_step(obj, optimizer, x0, torch.Generator().manual_seed(0))
    assert loss.ndim == 0 and not loss.requires_grad and torch.isfinite(loss)
    assert any(not torch.equal(a, b) for a, b in zip(before, obj.denoiser.parameters()))


def test_train_epoch_leaves_the_model_in_eval_mode():
    obj = _objective()
    optimizer = torch.optim.AdamW(obj.denoiser.parameters(), lr=1e-2)
    loss = train_epoch(obj, optimizer, _series(), window_starts(200, W, 9),
                       torch.Generator().manual_seed(0))
    assert np.isfinite(loss) and loss > 0 and not obj.denoiser.training


def test_validation_loss_is_repeatable():
    obj = _objective()
    series, starts = _series(seed=3), window_starts(200, W, W)
    assert validation_loss(obj, series, starts, 5) == validation_loss(obj, series, starts, 5)
    assert validation_loss(obj, series, starts, 5) != validation_loss(obj, series, starts, 6)


def test_early_stopping_counts_epochs_without_improvement():
    net = torch.nn.Linear(1, 1)
    stop = EarlyStopping(patience=2)
    assert not stop.update(float("nan"), net)       # a NaN first loss is no improvement
    assert stop.best_state is None
    assert not stop.update(1.0, net)
    with torch.no_grad():
        net.weight.fill_(7.0)
    assert not stop.update(1.0, net)                 # equal: not an improvement (1 bad)
    assert not stop.update(0.5, net)                 # better: counter reset, weights kept
    assert not stop.update(0.49999, net)             # within 1e-4 of the best: 1 bad
    assert stop.update(0.6, net)                     # 2 bad epochs: stop
    with torch.no_grad():
        net.weight.fill_(-1.0)
    stop.restore(net)
    assert float(net.weight.detach()) == 7.0 and stop.best_loss == 0.5


def test_fit_loop_history_and_best_weights_restored():
    obj = _objective()
    train, valid = _series(300, seed=1), _series(100, seed=2)
    train_starts, valid_starts = window_starts(300, W, 1), window_starts(100, W, W)
    history = fit_loop(obj, train, train_starts, valid, valid_starts, max_epochs=4,
                       learning_rate=3e-3, patience=10, seed=0, windows_per_epoch=40)
    assert [h["epoch"] for h in history] == [1, 2, 3, 4]
    assert all(h["n_windows"] == 40 for h in history)
    assert set(history[0]) == {"epoch", "train_loss", "valid_loss", "n_windows", "dur"}
    # the weights kept are those of the best validation epoch
    best = min(h["valid_loss"] for h in history)
    assert validation_loss(obj, valid, valid_starts, 1) == best
    assert not obj.denoiser.training


def test_fit_loop_without_validation_monitors_the_training_loss():
    obj = _objective(adnm=False)
    history = fit_loop(obj, _series(), window_starts(200, W, 1), None, None, max_epochs=2,
                       learning_rate=3e-3, patience=1, seed=0)
    assert all(np.isnan(h["valid_loss"]) for h in history)
    assert history[0]["n_windows"] == 200 - W + 1


class _InterruptingStep:
    """``train_step`` that raises KeyboardInterrupt at the ``at``-th call."""

    def __init__(self, at):
        self.at, self.calls = at, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return train_step(*args, **kwargs)


def _interruptible(**params):
    return tiny_detector(**{"max_epochs": 10, "patience": 10, "windows_per_epoch": 32,
                            "batch_size": 16, **params})


def _fit_or_fail(det, X):
    try:
        return det.fit(X)
    except KeyboardInterrupt:  # would otherwise end the whole test session
        pytest.fail("the first KeyboardInterrupt escaped fit")


def test_ctrl_c_in_fit_keeps_the_best_weights_and_calibrates(monkeypatch):
    X = periodic_series(300)
    # 32 windows of a batch of 16: two steps an epoch; the 6th step is in epoch 3
    monkeypatch.setattr("skddmt._training.train_step", _InterruptingStep(6))
    with pytest.warns(UserWarning, match=r"interrupted .* in epoch 3.* 2 complete epochs"):
        det = _fit_or_fail(_interruptible(), X)
    monkeypatch.undo()
    assert det.n_epochs_ == 2 and [h["epoch"] for h in det.history_] == [1, 2]
    # the model two full epochs would give, calibrated: usable and the same bits
    two = _interruptible(max_epochs=2).fit(X)
    np.testing.assert_array_equal(det.score_samples(X), two.score_samples(X))
    assert det.offset_ == two.offset_
    assert set(np.unique(det.predict(X))) <= {-1, 1}


def test_ctrl_c_in_the_first_epoch_keeps_the_weights_so_far(monkeypatch):
    X = periodic_series(300)
    monkeypatch.setattr("skddmt._training.train_step", _InterruptingStep(2))
    with pytest.warns(UserWarning, match="no epoch was complete"):
        det = _fit_or_fail(_interruptible(), X)
    assert det.n_epochs_ == 0 and np.all(np.isfinite(det.score_samples(X)))


def test_a_second_ctrl_c_aborts_fit(monkeypatch):
    X = periodic_series(300)
    monkeypatch.setattr("skddmt._training.train_step", _InterruptingStep(3))

    def interrupted_calibration(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("skddmt._detector.stream_scores", interrupted_calibration)
    with pytest.warns(UserWarning, match="interrupted"), pytest.raises(KeyboardInterrupt):
        _interruptible().fit(X)
