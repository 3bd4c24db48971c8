"""Packaging glue that pyproject.toml cannot express on its own.

``resources/`` and ``ui/`` stay at the top of the repository (the project's fixed
layout) but install inside the package as ``ocop_desktop/resources`` and
``ocop_desktop/ui``, where ``ocop_desktop.paths`` finds them in a wheel.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["ocop_desktop", "ocop_desktop.*"]),
        "ocop_desktop.resources",
        "ocop_desktop.ui",
    ],
    package_dir={"ocop_desktop.resources": "resources", "ocop_desktop.ui": "ui"},
    package_data={"ocop_desktop.resources": ["**/*"], "ocop_desktop.ui": ["*.ui"]},
    include_package_data=False,
)
