"""Check an Office Open XML package (DOCX, XLSX) as far as can be done without the ECMA-376
schemas (no installed package ships them, and nothing is downloaded). No Django.

`package_problems(content)` returns what is wrong, as sentences; an empty list means:

- a readable ZIP whose part names are unique and free of directory tricks;
- `[Content_Types].xml` gives a content type for every part, and overrides only parts that exist;
- every XML part is well-formed;
- every internal relationship resolves to a part in the package, with unique ids per source;
- the package's own relationships name the main document (officeDocument);
- in WordprocessingML, the children of the elements Lantern's renderers write into (paragraph,
  run, table, row, cell and section properties, settings, borders) come in the order their
  schema sequence requires (ECMA-376 part 1, sections 17.3-17.15), since Word refuses a
  document whose properties are out of order.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The schema sequences of WordprocessingML elements (child local names, in order).
SEQUENCES: dict[str, tuple[str, ...]] = {
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": _names(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
        "tblDescription tblPrChange"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
        "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
    ),
    "tbl": _names("bookmarkStart bookmarkEnd tblPr tblGrid tr"),
    "pBdr": _names("top left bottom right between bar"),
    "tblCellMar": _names("top start left bottom end right"),
    "sectPr": _names(
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
        "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
        "bidi rtlGutter docGrid printerSettings sectPrChange"
    ),
    "settings": _names(
        "writeProtection view zoom removePersonalInformation removeDateAndTime "
        "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
        "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
        "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
        "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
        "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
        "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
        "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
        "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
        "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
        "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
        "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
        "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
        "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
        "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
        "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
        "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
        "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
        "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
        "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
        "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
        "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
        "decimalSymbol listSeparator"
    ),
}
# w:settings children that live in other namespaces but take their place in the sequence.
_FOREIGN_IN_SETTINGS = {"mathPr", "schemaLibrary", "shapeDefaults"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sequence_problems(part: str, root: etree._Element) -> list[str]:
    problems = []
    for element in root.iter(f"{{{W}}}*"):
        order = SEQUENCES.get(_local(element.tag))
        if order is None:
            continue
        last = -1
        last_name = ""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = _local(child.tag)
            in_w = child.tag.startswith(f"{{{W}}}")
            if not in_w and not (
                _local(element.tag) == "settings" and name in _FOREIGN_IN_SETTINGS
            ):
                continue
            if name not in order:
                problems.append(f"{part}: w:{name} is not allowed in w:{_local(element.tag)}")
                continue
            index = order.index(name)
            if index < last:
                problems.append(
                    f"{part}: in w:{_local(element.tag)}, w:{name} comes after w:{last_name}"
                )
            if index >= last:
                last, last_name = index, name
    return problems


def _content_types(package: zipfile.ZipFile, parts: set[str]) -> tuple[list[str], set[str]]:
    problems: list[str] = []
    root = etree.fromstring(package.read("[Content_Types].xml"))
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "")
        for d in root.findall(f"{{{CT}}}Default")
    }
    overrides = {
        o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
        for o in root.findall(f"{{{CT}}}Override")
    }
    for name in sorted(overrides):
        if name not in parts:
            problems.append(f"[Content_Types].xml overrides a part that is not there: /{name}")
    for name in sorted(parts):
        base = posixpath.basename(name)
        extension = base.rsplit(".", 1)[1].lower() if "." in base else ""
        if name not in overrides and extension not in defaults:
            problems.append(f"No content type for the part /{name}")
    return problems, set(overrides)


def _relationships(package: zipfile.ZipFile, parts: set[str]) -> list[str]:
    problems = []
    found_main = False
    for rels in sorted(p for p in parts if p.endswith(".rels")):
        folder, file = posixpath.split(rels)
        if posixpath.basename(folder) != "_rels" or not file.endswith(".rels"):
            problems.append(f"{rels}: a relationships part outside a _rels folder")
            continue
        source_folder = posixpath.dirname(folder)  # "" for the package's own relationships
        root = etree.fromstring(package.read(rels))
        ids = set()
        for rel in root.findall(f"{{{PR}}}Relationship"):
            rel_id, target = rel.get("Id", ""), rel.get("Target", "")
            if rel_id in ids:
                problems.append(f"{rels}: the id {rel_id} is used twice")
            ids.add(rel_id)
            if rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                resolved = posixpath.normpath(target.lstrip("/"))
            else:
                resolved = posixpath.normpath(posixpath.join(source_folder, target))
            if resolved not in parts:
                problems.append(f"{rels}: {rel_id} points to {target}, which is not there")
            if rels == "_rels/.rels" and rel.get("Type") == OFFICE_DOCUMENT:
                found_main = True
    if not found_main:
        problems.append("_rels/.rels names no main document (officeDocument)")
    return problems


def package_problems(content: bytes) -> list[str]:
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return ["Not a ZIP package"]
    with package:
        names = [info.filename for info in package.infolist() if not info.is_dir()]
        problems = []
        if len(names) != len(set(names)):
            problems.append("A part name appears twice in the ZIP")
        for name in names:
            if name.startswith("/") or ".." in name.split("/") or "\\" in name:
                problems.append(f"A part name that escapes the package: {name}")
        bad = package.testzip()
        if bad:
            problems.append(f"A damaged part: {bad}")
        parts = set(names) - {"[Content_Types].xml"}
        if "[Content_Types].xml" not in names:
            return [*problems, "No [Content_Types].xml"]
        for name in sorted(names):
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(package.read(name))
            except etree.XMLSyntaxError as error:
                problems.append(f"{name} is not well-formed XML: {error}")
                continue
            if root.tag.startswith(f"{{{W}}}"):
                problems.extend(_sequence_problems(name, root))
        type_problems, _overridden = _content_types(package, parts)
        problems.extend(type_problems)
        problems.extend(_relationships(package, parts))
        return problems
