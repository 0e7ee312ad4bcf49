"""The one compiled part: the columnar engine's hot loop (``evidence/columnar/_scan.c``).

Optional: where it cannot be built the engine uses its polars equivalent, which gives the
same results, slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "postmortems.evidence.columnar._scan",
            ["src/postmortems/evidence/columnar/_scan.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
