"""Applications that run the pipeline against reference data to measure its accuracy.

They sit beside the interfaces (``cli.py``, ``web/``, ``jobs/``) and compose the building blocks
the same way :mod:`kinechain.pipeline` does: :mod:`kinechain.studies.mocap_validation` films a
motion-capture trial with a virtual camera, runs the 2D stages on it and compares the result with
the force plates and the 3D markers (``kinechain validate``; docs/validation.md).
"""
