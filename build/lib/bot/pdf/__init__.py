"""Archive-ready PDFs (PDF/A-2b): the layout toolkit, the decision letter and the archive copy of a
submission. Import the modules themselves (`bot.pdf.letter`, `bot.pdf.submission`): this package
stays empty so that the message templates, which use `bot.pdf.blocks`, do not load fpdf2."""
