mod k8s;
