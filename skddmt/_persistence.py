"""Model files: ``DDMTDetector.save`` and ``DDMTDetector.load``, which never
unpickle, and the pickling hooks of the estimator.

A model file is a header line (:data:`MAGIC`), the SHA-256 digest of the
rest, and a ``torch.save`` archive of plain data only: a format tag and
versions, the parameters and the small fitted attributes as JSON text, the
fitted arrays and the weights as tensors. The digest is checked before
anything is read, so a truncated or altered file is refused whole; the
archive is then read with ``torch.load(weights_only=True)``, which builds
nothing but containers, numbers, strings and tensors, so a file crafted to
run code when unpickled cannot run code when loaded.
"""

import copy
import hashlib
import io
import json
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from ._device import resolve_device

#: First line of a skddmt model file.
MAGIC = b"skddmt model file\n"
#: Tag of the payload of a skddmt model file.
FORMAT = "skddmt.DDMTDetector"
#: Version of the file layout; a file of another layout is refused.
FORMAT_VERSION = 2
#: What a model pickled before these parameters existed did.
PRE_DESIGN_2_PARAMS = {"mask_mode": "timestamp", "training_masks": "interleaved",
                       "rarity": "none", "scale_floor": 0.1}
#: Fitted attributes stored as JSON (numbers, strings, lists, dicts).
JSON_ATTRIBUTES = ("offset_", "n_features_in_", "window_size_", "adnm_max_radius_",
                   "history_", "n_epochs_", "fit_time_", "_seed", "_trained_with",
                   "imputation_scale_", "rarity_scale_", "imputation_centre_", "rarity_centre_")
#: Fitted arrays stored as tensors (dtype and bits kept).
ARRAY_ATTRIBUTES = ("mean_", "scale_", "feature_error_scale_", "score_features_",
                    "rarity_centroids_")
_DIGEST_LINE = 65  # 64 hex digits and a newline


def _package_version():
    from . import __version__

    return __version__


def _plain(value, name):
    """``value`` as JSON-ready Python data; ValueError for what JSON cannot hold."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v, name) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, name) for k, v in value.items()}
    raise ValueError(f"Cannot save {name}: a {type(value).__name__} is not plain data.")


def _plain_params(params):
    """The parameters as JSON-ready data; a random_state generator becomes None."""
    params = dict(params)
    if not (params.get("random_state") is None or isinstance(params["random_state"], Integral)):
        warnings.warn(
            "random_state is a generator, which a model file cannot hold; it is saved as "
            "None. The fitted model and its scores are unaffected; a new fit of the loaded "
            "model is not seeded.", UserWarning, stacklevel=3)
        params["random_state"] = None
    return {k: _plain(v, f"parameter {k}") for k, v in params.items()}


def _cpu_state(module):
    return {k: v.detach().cpu().clone() for k, v in module.state_dict().items()}


def write_model_file(payload, path):
    """Write ``payload`` (plain data) as a model file: :data:`MAGIC`, the
    digest of the archive, the ``torch.save`` archive."""
    buf = io.BytesIO()
    torch.save(payload, buf)
    archive = buf.getvalue()
    data = MAGIC + hashlib.sha256(archive).hexdigest().encode() + b"\n" + archive
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def read_model_file(path):
    """The payload of a model file, checked; ValueError for anything else."""
    if hasattr(path, "read"):
        data = path.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    if not data.startswith(MAGIC):
        raise ValueError(f"{path} is not a skddmt model file (it does not start with "
                         f"{MAGIC!r}); nothing in it was run.")
    digest = data[len(MAGIC):len(MAGIC) + _DIGEST_LINE - 1]
    archive = data[len(MAGIC) + _DIGEST_LINE:]
    if hashlib.sha256(archive).hexdigest().encode() != digest:
        raise ValueError(f"{path} does not match its checksum: the file was truncated, "
                         "altered or damaged.")
    try:
        payload = torch.load(io.BytesIO(archive), map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling refused, or not a torch archive
        raise ValueError(
            f"{path} is not a readable skddmt model file (it holds something other than "
            f"plain data; nothing in it was run): {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path} is not a skddmt model file (no {FORMAT!r} tag).")
    if payload.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path} has model file format {payload.get('format_version')!r}; this skddmt "
            f"reads format {FORMAT_VERSION} only.")
    if payload.get("skddmt_version") != _package_version():
        raise ValueError(
            f"{path} was written by skddmt {payload.get('skddmt_version')}, and this is "
            f"skddmt {_package_version()}: scores could differ between versions, so the "
            "file is refused. Fit the model again, or load the file with the version "
            "that wrote it.")
    return payload


class PersistenceMixin:
    """``save`` / ``load`` (safe model files) and the pickling hooks.

    The estimator provides ``_new_modules()``, returning a fresh
    ``(denoiser, diffusion)`` pair for its parameters and
    ``n_features_in_``.
    """

    def save(self, path):
        """Write the fitted model to a file that :meth:`load` reads back.

        Unlike ``pickle`` or ``joblib``, the file holds plain data only (the
        parameters and fitted attributes as JSON, arrays and weights as
        tensors, a checksum), and :meth:`load` never unpickles: a model file
        from an untrusted source cannot run code. Loading it gives
        bit-identical scores with the same skddmt version on the same
        machine.

        Parameters
        ----------
        path : str, path-like or binary file object
            File to write (conventionally ``*.skddmt``), replaced if it exists.

        Returns
        -------
        self : DDMTDetector
            The estimator, unchanged.

        Raises
        ------
        ValueError
            If a parameter is not plain data (a ``random_state`` generator is
            saved as None, with a warning).
        """
        check_is_fitted(self)
        params = _plain_params(self.get_params(deep=False))
        fitted = {name: getattr(self, name) for name in JSON_ATTRIBUTES}
        # compared with the parameters by recalibrate: the same random_state
        fitted["_trained_with"] = {**fitted["_trained_with"],
                                   "random_state": params["random_state"]}
        attributes = {name: _plain(value, name) for name, value in fitted.items()}
        names = getattr(self, "feature_names_in_", None)
        attributes["feature_names_in_"] = None if names is None else [str(n) for n in names]
        payload = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "skddmt_version": _package_version(),
            "params": json.dumps(params, sort_keys=True),
            "attributes": json.dumps(attributes, sort_keys=True),
            "arrays": {name: torch.from_numpy(np.array(getattr(self, name)))
                       for name in ARRAY_ATTRIBUTES},
            "denoiser": _cpu_state(self.denoiser_),
            "diffusion": _cpu_state(self.diffusion_),
        }
        write_model_file(payload, path)
        return self

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`, without unpickling.

        Parameters
        ----------
        path : str, path-like or binary file object
            A file written by :meth:`save`.

        Returns
        -------
        DDMTDetector
            The fitted estimator, on the device its ``device`` parameter
            resolves to on this machine.

        Notes
        -----
        The whole file is checked against its SHA-256 digest before anything
        is read, then read with ``torch.load(weights_only=True)``. The digest
        catches damage, not a deliberate forgery (anyone can recompute it);
        a forged file can still only hold plain data, never code.

        Raises
        ------
        ValueError
            If the file is not a skddmt model file, is truncated or was
            altered (its checksum does not match), was written by another
            skddmt version or file format, or does not fit the parameters it
            holds. Nothing in the file is run in any case.
        FileNotFoundError
            If ``path`` does not exist.
        """
        payload = read_model_file(path)
        try:
            # files written before rarity_combination existed summed the terms,
            # before rarity_centroids they had 10
            est = cls(**{"rarity_combination": "sum", "rarity_centroids": 10,
                         **json.loads(payload["params"])})
            # files written before rarity_combination existed: terms not centred
            attributes = {"imputation_centre_": 0.0, "rarity_centre_": 0.0,
                          **json.loads(payload["attributes"])}
            names = attributes.pop("feature_names_in_")
            for name, value in attributes.items():
                setattr(est, name, value)
            if names is not None:
                est.feature_names_in_ = np.asarray(names, dtype=object)
            for name in ARRAY_ATTRIBUTES:
                setattr(est, name, payload["arrays"][name].numpy())
            est.device_ = resolve_device(est.device)
            denoiser, diffusion = est._new_modules()
            denoiser.load_state_dict(payload["denoiser"])
            diffusion.load_state_dict(payload["diffusion"])
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            raise ValueError(f"{path} holds an inconsistent skddmt model: {exc}") from exc
        est.denoiser_ = denoiser.to(est.device_).eval()
        est.diffusion_ = diffusion.to(est.device_)
        return est

    # ------------------------------------------------------------ pickling
    def __getstate__(self):
        # A copy: on Python >= 3.11 the parent may return the live __dict__.
        state = dict(super().__getstate__())
        for key in ("denoiser_", "diffusion_"):
            module = state.get(key)
            if module is not None and any(p.device.type != "cpu" for p in
                                          list(module.parameters()) + list(module.buffers())):
                state[key] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        # Models pickled before score_smoothing existed scored without it;
        # those pickled before the second design's switches had them off.
        state.setdefault("score_smoothing", 1)
        state.setdefault("n_jobs", None)
        state.setdefault("missing", "raise")
        state.setdefault("causal", False)
        state.setdefault("rarity_combination", "sum")
        state.setdefault("rarity_centroids", 10)
        for name, value in PRE_DESIGN_2_PARAMS.items():
            state.setdefault(name, value)
        if "offset_" in state:
            state.setdefault("rarity_centroids_",
                             np.zeros((0, state.get("d_model", 64)), dtype=np.float32))
            state.setdefault("imputation_scale_", 1.0)
            state.setdefault("rarity_scale_", 1.0)
            # pickled before rarity_combination: the terms were not centred
            state.setdefault("imputation_centre_", 0.0)
            state.setdefault("rarity_centre_", 0.0)
        super().__setstate__(state)
        device = getattr(self, "device_", None)
        if device is not None and device.type != "cpu":
            self.device_ = resolve_device(device)
