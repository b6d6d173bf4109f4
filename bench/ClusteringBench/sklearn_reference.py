"""The scikit-learn side of bench/ClusteringBench: the same phases on the same CSV, one JSON line out.

usage: sklearn_reference.py <kmeans|gmm|silhouettes> <data.csv> <k> <seed>
"""
import json
import resource
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture

phase, path, k, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
points = np.loadtxt(path, delimiter=",")
result = {}
if phase == "kmeans":
    start = time.perf_counter()
    # As many starts as ours take at this size (KMeansClustering.DefaultRestarts).
    fit = KMeans(n_clusters=k, init="k-means++", n_init=10 if len(points) <= 100_000 else 3, max_iter=300, random_state=seed).fit(points)
    result["seconds"] = time.perf_counter() - start
    result["inertia"] = float(fit.inertia_)
elif phase == "gmm":
    start = time.perf_counter()
    fit = GaussianMixture(n_components=k, covariance_type="full", tol=1e-3, reg_covar=1e-6, max_iter=100, n_init=1,
                          init_params="kmeans", random_state=seed).fit(points)
    result["seconds"] = time.perf_counter() - start
    result["logLikelihood"] = float(fit.score(points) * len(points))
    result["bic"] = float(fit.bic(points))
else:
    result["silhouettes"] = {}
    for clusters in range(2, k + 1):
        labels = KMeans(n_clusters=clusters, init="k-means++", n_init=10, max_iter=300, random_state=seed).fit_predict(points)
        result["silhouettes"][str(clusters)] = float(silhouette_score(points, labels))
result["peakMb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
