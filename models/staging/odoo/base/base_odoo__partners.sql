-- Partners of the target Odoo as the latest snapshot run has them (a snapshot is whole: its
-- newest run replaces the older ones). Without a snapshot an empty target is assumed: no row.
with latest as (
    select *
    from {{ latest_run(odoo_raw('res_partner', [
        ('id', 'bigint'), ('name', 'varchar'), ('email', 'varchar'), ('is_company', 'boolean')])) }}
)

select * from latest
