#!/usr/bin/env python3
"""Makes the two fonts GuestLab ships: subsets of egui's default fonts (Ubuntu Light for text,
Hack for the terminal and code) with the characters of English and German text, technical
punctuation, arrows and box drawing. The full fonts are about 670 KB; the subsets keep the web
app within its size budget.

    pip install fonttools
    python3 assets/fonts/make_subsets.py ~/.cargo/registry/src/*/epaint_default_fonts-0.37.0/fonts

Licences: the Ubuntu Font Licence 1.0 asks a modified (here: subsetted) font to keep the
original name with "derivative X" appended, so the subset is named "Ubuntu Light derivative
GuestLab". Hack is under the MIT licence with the Bitstream Vera terms (only the Bitstream and
Vera names are reserved); its subset is renamed likewise for clarity. Both licence texts are
copied beside the fonts.
"""
import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A
    (0x0218, 0x021B),  # Romanian S/T with comma
    (0x02C6, 0x02DD),  # spacing modifiers (circumflex, tilde, ...)
    (0x2000, 0x206F),  # General Punctuation („ “ – — … •)
    (0x20AC, 0x20AC),  # euro
    (0x2100, 0x2122),  # letterlike (™, №)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ≈ ×)
    (0x2300, 0x23FF),  # miscellaneous technical (⏎ ⌘ ...)
    (0x2500, 0x259F),  # box drawing, block elements
    (0x25A0, 0x25FF),  # geometric shapes (▶ ◀ ● ■)
    (0x2600, 0x26FF),  # miscellaneous symbols (⚠ ☁ where present)
    (0x2700, 0x27BF),  # dingbats (✓ ✗ where present)
    (0xFFFD, 0xFFFD),  # replacement character
]


def make(source: Path, target: Path, family: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    name = font["name"]
    style = "Regular"
    for record in name.names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID == 6:
            record.string = family.replace(" ", "") + "-" + style
    font.save(target)
    print(f"{target.name}: {target.stat().st_size} bytes (from {source.stat().st_size})")


def main() -> None:
    fonts = Path(sys.argv[1])
    here = Path(__file__).parent
    make(fonts / "Ubuntu-Light.ttf", here / "UbuntuLight-derivative-GuestLab.ttf", "Ubuntu Light derivative GuestLab")
    make(fonts / "Hack-Regular.ttf", here / "Hack-derivative-GuestLab.ttf", "Hack derivative GuestLab")
    shutil.copy(fonts / "UFL.txt", here / "UFL.txt")
    shutil.copy(fonts / "Hack-Regular.txt", here / "Hack-LICENSE.txt")


if __name__ == "__main__":
    main()
