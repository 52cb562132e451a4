from legal2odoo.cli import main

main()
