"""The names rules may use: tasks, traits, statistics and other facts, each with its meaning.

Kept free of numpy and pandas so that loading and validating rules (``lint``, ``rules``,
``explain``) starts instantly. The profiler fills these names; the rule validator rejects any
other name with a did-you-mean.
"""

from __future__ import annotations

TASKS = ("binary", "multiclass", "multilabel", "regression", "count")
"""The tasks a table's target can show."""

CONTEXT_TASKS = ("ranking", "survival")
"""Tasks a target shows only with its context column: ``--group`` (rows grouped into queries)
makes ``ranking``, ``--censor`` (an event indicator) makes ``survival``."""

EXTRA_TASKS = ("segmentation", "detection", "metric_learning", "generative", "sequence")
"""Tasks no CSV target can show; ``recommend --task`` accepts them."""

ALL_TASKS = TASKS + CONTEXT_TASKS + EXTRA_TASKS

TRAITS: dict[str, str] = {
    "imbalanced": "Classes (or labels) are unevenly represented: majority/minority ratio or "
    "entropy crosses its threshold.",
    "severe_imbalance": "The minority is rare enough that accuracy and unweighted losses "
    "mislead (ratio >= severe_imbalance_ratio or share < severe_minority_fraction).",
    "few_minority_examples": "Fewer minority examples than few_minority_count: stratify splits.",
    "many_classes": "More than ten classes: label smoothing and macro averages matter.",
    "ordinal_levels": "Integer levels of an ordered scale (ratings): order carries information.",
    "one_hot_labels": "Classes are given as one-hot 0/1 columns.",
    "outliers": "A notable share of values lies beyond the far-out fences of a skew-adjusted "
    "boxplot: rare values far from the bulk, not the natural tail of a skewed distribution.",
    "heavy_tailed": "Excess kurtosis above heavy_tail_excess_kurtosis: extreme values are "
    "frequent.",
    "skewed": "Absolute skewness above the skewness threshold.",
    "spans_magnitudes": "Positive values span orders of magnitude (q95/q05 of at least "
    "10^magnitude_span): relative error may be the goal.",
    "non_negative": "No value is below zero.",
    "strictly_positive": "Every value is above zero (Gamma and MAPE are defined).",
    "has_zeros": "Some values are exactly zero (Gamma deviance and MAPE are not defined).",
    "has_negatives": "Some values are below zero (Poisson, Gamma, Tweedie are not defined).",
    "bounded_unit_interval": "All values lie in [0, 1], like rates and proportions.",
    "zero_inflated": "More zeros than a Poisson distribution with the same mean predicts "
    "(counts only: for a measurement the ratio depends on its unit).",
    "zero_truncated": "Positive whole numbers starting at 1, right-skewed, no zeros: counts "
    "that cannot be zero or durations in whole units.",
    "zero_mass": "A measurement (not a count) with a point mass at zero: at least "
    "zero_mass_fraction of the values are exactly 0.",
    "overdispersed": "Variance well above the mean (a Poisson model assumes they are equal; "
    "counts only).",
    "multi_output": "Several target columns are predicted together.",
    "constant_label": "One of several target columns (a label, a one-hot class or an output) "
    "holds the same value in every row: nothing can be learned for it and its loss term is "
    "wasted; drop it or check the export.",
    "missing_target": "Some rows have no target value; they were dropped.",
    "small_sample": "Few labelled rows: R², per-class metrics and learned weights are unstable.",
    # context columns (advisor/context.py)
    "binary_relevance": "Ranking: relevance is 0/1 (relevant or not).",
    "graded_relevance": "Ranking: relevance has more than two ordered levels.",
    "uninformative_groups": "Ranking: some groups have one item or one relevance level, so "
    "pairwise and listwise losses get nothing from them.",
    "has_exposure": "Counts observed over unequal exposure (--exposure): the target is a rate "
    "times the exposure.",
    "censored": "Survival: some durations are censored (the event had not happened yet).",
}
"""Every trait a profile can carry, with what it means. Rules may only name these."""

STATISTICS: dict[str, str] = {
    "rows": "Rows in the file.",
    "n": "Rows with a usable target value.",
    "n_missing": "Rows whose target is missing.",
    "n_infinite": "Rows whose target is +/-inf (dropped).",
    "missing_fraction": "Share of rows whose target is missing or infinite.",
    # classification
    "n_classes": "Number of distinct classes.",
    "class_counts": "Rows per class label.",
    "class_weights": "Balanced class weights n / (k * count), as scikit-learn computes them.",
    "minority_class": "The rarest class label.",
    "minority_count": "Rows of the rarest class (of the rarest side of any label, multilabel).",
    "minority_fraction": "Share of rows in the rarest class.",
    "majority_class": "The most frequent class label.",
    "majority_fraction": "Share of rows in the most frequent class.",
    "imbalance_ratio": "Majority count / minority count.",
    "normalized_entropy": "Class entropy / log(k): 1 is perfectly balanced.",
    "positive_label": "The label taken as the positive class (binary).",
    "positive_count": "Rows of the positive class (binary).",
    "positive_fraction": "Share of the positive class (binary): the PR-AUC baseline.",
    "pos_weight": "Negatives / positives: the weight of a positive example (binary), e.g. "
    "PyTorch pos_weight or XGBoost scale_pos_weight.",
    "label_encoding": "How labels are written: integer, text, boolean, signed, one_hot, "
    "indicator.",
    # multilabel
    "n_labels": "Number of label columns (multilabel).",
    "label_fractions": "Share of rows carrying each label (multilabel).",
    "label_pos_weights": "Negatives / positives per label (multilabel).",
    "label_cardinality": "Mean number of labels per row (multilabel).",
    "min_label_fraction": "Share of rows carrying the rarest label (multilabel).",
    "rarest_label": "The rarest label (multilabel).",
    # numbers
    "mean": "Mean.",
    "std": "Standard deviation (n - 1).",
    "min": "Minimum.",
    "max": "Maximum.",
    "q01": "1st percentile.",
    "q05": "5th percentile.",
    "q25": "First quartile.",
    "median": "Median.",
    "q75": "Third quartile.",
    "q95": "95th percentile.",
    "q99": "99th percentile.",
    "iqr": "Interquartile range q75 - q25.",
    "mad": "Median absolute deviation from the median (unscaled).",
    "huber_delta": "Huber's delta on the residual scale: 1.345 x 1.4826 x MAD of a fitted "
    "squared-error model's residuals (measured by `profile --trial`; otherwise fill it in).",
    "huber_delta_bound": "1.345 x 1.4826 x MAD of the target itself: an upper bound for Huber's "
    "delta, which belongs on the residual scale (a model that explains anything shrinks it).",
    "skewness": "Fisher-Pearson skewness g1 (0 for a symmetric distribution).",
    "excess_kurtosis": "Excess kurtosis g2 (0 for a normal distribution).",
    "n_distinct": "Number of distinct values.",
    "magnitude_span": "Orders of magnitude between the 5th and 95th percentiles, log10(q95/q05) "
    "(positive targets only).",
    "zero_fraction": "Share of values equal to zero.",
    "negative_fraction": "Share of values below zero.",
    "outlier_fraction_iqr": "Share beyond the far-out fences q25 - k*IQR, q75 + k*IQR (null "
    "when IQR is 0).",
    "outlier_fraction_mad": "Share with modified z-score above robust_z (null when MAD is 0).",
    "outlier_fraction": "Share beyond the adjusted boxplot's far-out fences (Hubert & "
    "Vandervieren 2008): iqr_fence x IQR, stretched on the long side by the medcouple.",
    "medcouple": "Robust skewness from the quantiles (Brys et al. 2004): 0 symmetric, up to 1 "
    "right-skewed, down to -1 left-skewed.",
    "outlier_low": "Lower skew-adjusted far-out fence.",
    "outlier_high": "Upper skew-adjusted far-out fence.",
    "approximate": "Statistics read from a uniform sample (streamed continuous targets only).",
    "histogram": "Bin edges and counts over the 1st-99th percentiles, with the counts beyond.",
    # counts
    "poisson_zero_fraction": "Zero share a Poisson distribution with this mean predicts: "
    "exp(-mean).",
    "zero_excess": "Observed zero share minus the Poisson expectation.",
    "dispersion_index": "Variance / mean (1 for Poisson).",
    # multi-output
    "n_outputs": "Number of target columns (multi-output regression).",
    # context columns (advisor/context.py)
    "group_column": "The --group column (query id); for lint, also a column that looks like "
    "one. Null when there is none.",
    "exposure_column": "The --exposure column; for lint, also a column that looks like one.",
    "censor_column": "The --censor column (event indicator); for lint, also a column that "
    "looks like one.",
    # ranking (--group)
    "n_groups": "Ranking: number of groups (queries).",
    "group_size_min": "Ranking: items in the smallest group.",
    "group_size_median": "Ranking: median items per group.",
    "group_size_max": "Ranking: items in the largest group.",
    "singleton_groups": "Ranking: groups with a single item.",
    "groups_without_relevant": "Ranking: groups in which no item is relevant (all at the lowest "
    "level).",
    "n_uninformative_groups": "Ranking: groups with one item or one relevance level (no pair "
    "to order).",
    "uninformative_group_fraction": "Ranking: share of groups that are uninformative.",
    "relevance_levels": "Ranking: number of distinct relevance levels.",
    "relevant_fraction": "Ranking: share of items above the lowest relevance level.",
    "ndcg_k": "Ranking: a cut-off k for NDCG@k/MAP@k from the group sizes (the median group "
    "size, at most 10).",
    # exposure (--exposure)
    "exposure_min": "Exposure: smallest exposure.",
    "exposure_median": "Exposure: median exposure.",
    "exposure_max": "Exposure: largest exposure.",
    "exposure_total": "Exposure: total exposure.",
    "rate_mean": "Exposure: total count / total exposure (the pooled rate).",
    "rate_dispersion": "Exposure: Pearson dispersion of the counts around the pooled rate times "
    "each row's exposure (1 for Poisson).",
    # censoring (--censor)
    "n_events": "Survival: rows whose event was observed.",
    "n_censored": "Survival: censored rows (event not observed).",
    "censored_fraction": "Survival: share of rows that are censored.",
    "duration_median_event": "Survival: median duration of rows with an event.",
    "duration_median_censored": "Survival: median duration of censored rows.",
}
"""Every statistic a profile can carry. Rule conditions and templates may only name these."""

FACTS: dict[str, str] = {
    "task": "The task: binary, multiclass, multilabel, regression, count; ranking (with "
    "--group) or survival (with --censor); or a task given to `recommend` (segmentation, "
    "detection, metric_learning, generative).",
    "has_data": "True when the facts come from a profiled dataset, false for `recommend`.",
    "traits": "The set of traits.",
}
"""Facts other than statistics that rule conditions can name."""

