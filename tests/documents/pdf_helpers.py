"""Reading generated PDFs as a user's tools do: text with poppler's
``pdftotext``, pictures with ``pdftoppm``, structure with pypdf; and a trap
that counts network connections a document tries to make."""

import io
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

#: What a hyphenated line ends with: hyphen-minus, the Unicode hyphen
#: WeasyPrint writes, or a soft hyphen.
HYPHENS = ("-", "\u2010", "\u00ad")


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The text of the PDF as ``pdftotext`` extracts it (pages separated by
    form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(
        args, input=data, capture_output=True, check=True
    ).stdout.decode()


def page_texts(data: bytes, *, layout: bool = False) -> list[str]:
    return pdf_text(data, layout=layout).split("\f")[:-1]


def first_page_image(data: bytes, resolution: int = 40) -> Image.Image:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(resolution), "-singlefile", "-f", "1"]
            + [str(source), str(Path(folder) / "page")],
            check=True,
        )
        with Image.open(Path(folder) / "page.png") as image:
            return image.convert("RGB")


def xmp(data: bytes) -> str:
    """The XMP metadata packet of the document catalogue."""
    reader = PdfReader(io.BytesIO(data))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def catalog(data: bytes):
    return PdfReader(io.BytesIO(data)).trailer["/Root"]


def link_uris(data: bytes) -> list[str]:
    """The URIs of all link annotations, page by page."""
    uris = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return uris


class NetworkTrap:
    """A local TCP server that counts the connections made to it: a document
    referring to ``trap.url(...)`` must leave ``trap.connections == 0``."""

    def __init__(self) -> None:
        self.connections = 0
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "x.png") -> str:
        host, port = self._server.getsockname()
        return f"http://{host}:{port}/{path}"

    def probe(self) -> int:
        """Connect once, as a request would, and return the count after it
        (proves that the trap notices a connection)."""
        before = self.connections
        socket.create_connection(self._server.getsockname(), timeout=2).close()
        for _ in range(50):
            if self.connections > before:
                break
            threading.Event().wait(0.05)
        return self.connections

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def __enter__(self) -> "NetworkTrap":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()


def structure(data: bytes) -> list[tuple[str, dict]]:
    """The tagged structure in document order: (tag, attributes) per element,
    e.g. ``("H1", {})`` or ``("TH", {"/Scope": "/Column"})``."""
    from pypdf.generic import ArrayObject, DictionaryObject

    elements: list[tuple[str, dict]] = []

    def attributes(node) -> dict:
        found = node.get("/A")
        found = found.get_object() if found is not None else None
        if isinstance(found, ArrayObject):
            merged: dict = {}
            for entry in found:
                entry = entry.get_object()
                if isinstance(entry, DictionaryObject):
                    merged.update({k: str(v) for k, v in entry.items()})
            return merged
        if isinstance(found, DictionaryObject):
            return {k: str(v) for k, v in found.items()}
        return {}

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node and node.get("/Type") != "/MCR":
            elements.append((str(node["/S"])[1:], attributes(node)))
        if "/K" in node:
            walk(node["/K"])

    walk(catalog(data)["/StructTreeRoot"])
    return elements
