"""Console pages, one module per page group, each with a ``router`` (paths below ``/staf``)."""
