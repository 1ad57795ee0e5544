"""skddmt: DDMT (Denoising Diffusion Mask Transformer) anomaly detection for
multivariate time series, with a scikit-learn API."""

from importlib.metadata import PackageNotFoundError, version

from ._detector import DDMTDetector

try:
    __version__ = version("skddmt")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["DDMTDetector", "__version__"]
