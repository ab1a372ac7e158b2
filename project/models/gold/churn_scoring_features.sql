-- The churn model's features as of today (the end of the data), for every customer who has bought: the same
-- columns and windows as churn_features, without a label. churn_model scores these rows, so a churn
-- probability is the risk that spend in the next churn_window_days falls below churn_drop_ratio of the last 90.
{{ churn_feature_rows(as_of_date()) }}
