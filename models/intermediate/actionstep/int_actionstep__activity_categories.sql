-- Every activity category (task name) the firm used, with the Odoo activity type the seed
-- activity_types gives it; categories the seed does not list take the default type and are
-- listed here with is_known = false for a person to map.
with categories as (
    select
        name as category,
        count(*) as tasks
    from {{ ref('stg_actionstep__tasks') }}
    group by name
),

seed as (
    select * from {{ ref('activity_types') }}
    where source_system = 'actionstep'
),

fallback as (
    select min(activity_type_xmlid) as activity_type_xmlid from seed
    where is_default
)

select
    categories.category,
    categories.tasks,
    coalesce(seed.activity_type_xmlid, fallback.activity_type_xmlid) as activity_type_xmlid,
    seed.category is not null as is_known
from categories
cross join fallback
left join seed
    on categories.category = seed.category and not seed.is_default
