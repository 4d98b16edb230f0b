"""The Streamlit layer: widgets, layout and session state. The only package (with app.py) that imports
Streamlit; it reads widgets, builds a ``ViewState`` and calls the domain modules."""
