-- Lead columns of the exports that extract recorded as unknown (not in the column map) or mapped
-- (the seed captorra_columns maps them onto an existing crm.lead field), one raw row per column:
-- the newest run that recorded it so. The filter comes before the dedup on purpose: a column
-- an older run recorded as unknown stays one even when a newer run names it otherwise.
with source as (
    select * from {{ source('captorra', 'columns') }}
),

latest as (
    select *
    from source
    where dataset = 'leads' and kind in ('unknown', 'mapped')
    qualify row_number() over (partition by column_name order by _run_id desc) = 1
)

select * from latest
