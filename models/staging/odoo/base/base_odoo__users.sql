-- Users of the target Odoo as the latest snapshot run has them (a snapshot is whole: its newest
-- run replaces the older ones). Without a snapshot an empty target is assumed: a new Odoo
-- database, whose only user is its administrator (base.user_admin: id 2, login admin, created
-- right after the superuser by base's data).
with latest as (
    select *
    from {{ latest_run(odoo_raw('res_users', [
        ('id', 'bigint'), ('login', 'varchar'), ('email', 'varchar'), ('name', 'varchar'),
        ('active', 'boolean')])) }}
),

assumed_empty_target as (
    select
        cast(2 as bigint) as id,
        'admin' as login,
        'Administrator' as name,
        cast(null as varchar) as email,
        true as active
    where {{ 'false' if odoo_snapshot_exists('res_users') else 'true' }}
),

users as (
    select
        id,
        login,
        name,
        email,
        active
    from latest
    union all
    select
        id,
        login,
        name,
        email,
        active
    from assumed_empty_target
)

select * from users
