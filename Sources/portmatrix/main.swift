print("portmatrix")
