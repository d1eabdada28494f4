"""Domain « indicateurs » (and « objectifs »): the indicator files the poles send, their versions and
resubmissions, the marts by pole and network, the quality rules, the demo files and the XLSX template.
"""
