-- The custom intake field registry as the newest export run has it (a registry is whole: its
-- newest run replaces the older ones).
with latest as (
    select * from {{ latest_run(source('captorra', 'fields')) }}
)

select * from latest
