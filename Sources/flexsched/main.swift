print("flexsched")
