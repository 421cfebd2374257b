"""The project workbook: a project plan in Excel, imported and exported like the programme workbook."""
