-- One sales team per Captorra pipeline.
with pipelines as (
    select distinct pipeline from {{ ref('captorra_stages') }}
)

select
    {{ external_id("'captorra_team'", 'pipeline') }} as id,
    pipeline as name,
    'captorra' as _source_system,
    'pipeline' as _source_model,
    pipeline as _source_id,
    {{ row_hash(['pipeline']) }} as _row_hash
from pipelines
