"""SHACL validation by Oxigraph: the shapes compiled to SPARQL SELECTs that find the violations, with the
same findings pyshacl gives (tests/test_shacl_sparql.py compares the two).

    compiled = compile_shapes(shapes_graph)      # raises UnsupportedShapes outside the handled subset
    report = compiled.validate(store, focus=...)  # a pyoxigraph.Store; focus: top-level focus nodes or None
"""

from graph.shacl_sparql.engine import CompiledShapes, compile_shapes
from graph.shacl_sparql.model import UnsupportedShapes

__all__ = ["CompiledShapes", "UnsupportedShapes", "compile_shapes"]
